using OpenAI.Chat;
using Router.Emulator.Latency;
using Router.Emulator.Options;

namespace Router.Emulator.Tests;

public sealed class LatencyTests
{
    [Fact]
    public async Task CompleteChat_ConfiguredTimeToFirstToken_TakesAtLeastThatLong()
    {
        await using var emulator = await RunningEmulator.StartAsync(o =>
        {
            o.LatencyScale = 1;
            o.Deployments["gpt-4o-slow"] = new DeploymentOptions { TimeToFirstTokenMs = 200, PerOutputTokenMs = 0 };
        });
        var client = emulator.AzureChat("gpt-4o-slow");

        var start = TimeProvider.System.GetTimestamp();
        await client.CompleteChatAsync([new UserChatMessage("hi")]);
        var elapsedMs = (long)TimeProvider.System.GetElapsedTime(start).TotalMilliseconds;

        Assert.True(elapsedMs >= 195, $"took {elapsedMs} ms");
    }

    [Fact]
    public async Task CompleteChatStreaming_ConfiguredTimeToFirstToken_FirstContentNoSoonerThanThat()
    {
        await using var emulator = await RunningEmulator.StartAsync(o =>
        {
            o.LatencyScale = 1;
            o.Deployments["gpt-4o-slow-stream"] = new DeploymentOptions { TimeToFirstTokenMs = 200, PerOutputTokenMs = 5 };
        });
        var client = emulator.OpenAIChat("gpt-4o-slow-stream");

        var start = TimeProvider.System.GetTimestamp();
        long? firstContentMs = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("one two three four five")]))
        {
            if (firstContentMs is null && update.ContentUpdate.Count > 0)
            {
                firstContentMs = (long)TimeProvider.System.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        Assert.NotNull(firstContentMs);
        Assert.True(firstContentMs >= 195, $"first content after {firstContentMs} ms");
    }

    [Theory]
    [InlineData("gpt-4o-mini", true)]
    [InlineData("phi-small", true)]
    [InlineData("classifier-ft", true)]
    [InlineData("gpt-4o", false)]
    [InlineData("o1", false)]
    public void IsFastByName_DeploymentName_MatchesNamingRule(string deployment, bool fast)
    {
        Assert.Equal(fast, LatencyModel.IsFastByName(deployment));
    }

    [Fact]
    public void For_ScaleHalfAndDefaults_ScalesNameBasedLatency()
    {
        var model = new LatencyModel(Microsoft.Extensions.Options.Options.Create(new EmulatorOptions { LatencyScale = 0.5 }));

        var slow = model.For("gpt-4o");
        var fast = model.For("gpt-4o-mini");

        Assert.Equal(TimeSpan.FromMilliseconds(125), slow.TimeToFirstToken);
        Assert.Equal(TimeSpan.FromMilliseconds(4), slow.PerOutputToken);
        Assert.Equal(TimeSpan.FromMilliseconds(20), fast.TimeToFirstToken);
    }

    [Fact]
    public void For_ScaleZero_NoLatencyEvenWhenConfigured()
    {
        var options = new EmulatorOptions { LatencyScale = 0 };
        options.Deployments["gpt-4o"] = new DeploymentOptions { TimeToFirstTokenMs = 500 };
        var model = new LatencyModel(Microsoft.Extensions.Options.Options.Create(options));

        Assert.True(model.For("gpt-4o").IsZero);
    }
}
