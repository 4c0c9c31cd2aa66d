using System.Net;
using System.Text.Json;
using OpenAI.Chat;

namespace Router.Emulator.Tests;

#pragma warning disable OPENAI001 // Seed is marked experimental in the OpenAI 2.1 SDK.
public sealed class StopAndSeedTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string User = "alpha beta gamma delta epsilon";

    private RunningEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task CompleteChat_StopSequence_EndsBeforeItWithFinishStop()
    {
        var options = new ChatCompletionOptions();
        options.StopSequences.Add("zeta");
        options.StopSequences.Add(" gamma");

        ChatCompletion completion = await Emulator.AzureChat("gpt-4o-stop").CompleteChatAsync([new UserChatMessage(User)], options);

        Assert.Equal("Summary: alpha beta", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(IndependentTokenCount.Text("Summary: alpha beta"), completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task CompleteChat_SameSeed_SameAnswerAndOtherSeedAnotherAnswer()
    {
        var client = Emulator.OpenAIChat("gpt-4o-seed");
        ChatMessage[] messages = [new UserChatMessage(User)];

        var seven = (await client.CompleteChatAsync(messages, new ChatCompletionOptions { Seed = 7 })).Value.Content[0].Text;
        var sevenAgain = (await client.CompleteChatAsync(messages, new ChatCompletionOptions { Seed = 7 })).Value.Content[0].Text;
        var eight = (await client.CompleteChatAsync(messages, new ChatCompletionOptions { Seed = 8 })).Value.Content[0].Text;
        var unseeded = (await client.CompleteChatAsync(messages)).Value.Content[0].Text;

        Assert.Equal(seven, sevenAgain);
        Assert.NotEqual(seven, eight);
        Assert.Equal("Summary: gamma delta epsilon alpha beta", seven); // 7 mod 5 words = start at word 2
        Assert.Equal("Summary: " + User, unseeded);
    }

    [Fact]
    public async Task CompleteChat_SeedWithLabelsNotMentioned_PickIsStablePerSeedAndVariesAcrossSeeds()
    {
        var client = Emulator.AzureChat("gpt-4o-mini-seed-labels");
        ChatMessage[] messages = [new SystemChatMessage("Allowed labels: billing, technical, account, other"), new UserChatMessage("Something odd happened")];

        var picks = new List<string>();
        for (var seed = 0; seed < 8; seed++)
        {
            var first = (await client.CompleteChatAsync(messages, new ChatCompletionOptions { Seed = seed })).Value.Content[0].Text;
            var again = (await client.CompleteChatAsync(messages, new ChatCompletionOptions { Seed = seed })).Value.Content[0].Text;
            Assert.Equal(first, again);
            picks.Add(first);
        }

        Assert.All(picks, p => Assert.Contains(p, (string[])["billing", "technical", "account", "other"]));
        Assert.True(picks.Distinct().Count() > 1, string.Join(",", picks));
    }

    [Fact]
    public async Task GetRequests_AfterCallWithParameters_RecordsThemBesideTheMessages()
    {
        var options = new ChatCompletionOptions { Seed = 3, TopP = 0.5f, FrequencyPenalty = 0.25f, EndUserId = "u-1" };
        options.StopSequences.Add("END");

        await Emulator.AzureChat("gpt-4o-params-log").CompleteChatAsync([new UserChatMessage("x")], options);

        var recorded = Assert.Single((await Emulator.GetJsonAsync("/emulator/requests?deployment=gpt-4o-params-log")).EnumerateArray());
        var parameters = recorded.GetProperty("parameters");
        Assert.Equal(3, parameters.GetProperty("seed").GetInt64());
        Assert.Equal(0.5, parameters.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal(0.25, parameters.GetProperty("frequency_penalty").GetDouble(), 3);
        Assert.Equal("u-1", parameters.GetProperty("user").GetString());
        Assert.Equal("END", parameters.GetProperty("stop")[0].GetString());
        Assert.False(parameters.TryGetProperty("messages", out _));
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"stop":5}""", "stop")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"stop":["a","b","c","d","e"]}""", "stop")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"seed":"seven"}""", "seed")]
    public async Task Post_BadStopOrSeed_Returns400NamingIt(string body, string param)
    {
        using var response = await Emulator.PostAzureAsync("gpt-4o-stop-bad", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(param, error.RootElement.GetProperty("error").GetProperty("param").GetString());
    }
}
#pragma warning restore OPENAI001
