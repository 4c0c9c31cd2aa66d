using System.ClientModel;
using System.Net;
using System.Text.Json;
using OpenAI.Chat;
using Router.Emulator.Faults;
using Router.Emulator.Options;

namespace Router.Emulator.Tests;

public sealed class FaultTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Body = """{"messages":[{"role":"user","content":"hello"}]}""";

    private RunningEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task Post_Fault429CountOne_ReturnsRetryAfterHeadersThenSuccess()
    {
        await Emulator.SetFaultAsync("gpt-4o-429", new { kind = "429", count = 1, retryAfterSeconds = 2 });

        using var limited = await Emulator.PostAzureAsync("gpt-4o-429", Body);
        using var next = await Emulator.PostAzureAsync("gpt-4o-429", Body);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("2000", Assert.Single(limited.Headers.GetValues("retry-after-ms")));
        using var json = JsonDocument.Parse(await limited.Content.ReadAsStringAsync());
        Assert.Equal("rate_limit_exceeded", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task CompleteChat_Fault429WithSdkRetriesOff_ThrowsThenSucceeds()
    {
        var client = Emulator.AzureChat("gpt-4o-429-sdk");
        await Emulator.SetFaultAsync("gpt-4o-429-sdk", new { kind = "429", count = 1 });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));
        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal(429, error.Status);
        Assert.Equal("Summary: hi", completion.Content[0].Text);
    }

    [Fact]
    public async Task CompleteChat_Fault500CountOne_FailsOnceThenSucceeds()
    {
        var client = Emulator.OpenAIChat("gpt-4o-500");
        await Emulator.SetFaultAsync("gpt-4o-500", new { kind = "500", count = 1 });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));
        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal(500, error.Status);
        Assert.Equal("Summary: hi", completion.Content[0].Text);
    }

    [Fact]
    public async Task CompleteChat_UnlimitedFault_PersistsUntilDeleted()
    {
        var client = Emulator.AzureChat("gpt-4o-503-unlimited");
        await Emulator.SetFaultAsync("gpt-4o-503-unlimited", new { kind = "503" });

        for (var i = 0; i < 3; i++)
        {
            var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));
            Assert.Equal(503, error.Status);
        }

        using var deleted = await Emulator.Http.DeleteAsync(new Uri("/emulator/faults/gpt-4o-503-unlimited", UriKind.Relative));
        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task CompleteChat_MalformedFault_ReturnsContentThatIsNeitherLabelNorJson()
    {
        var client = Emulator.AzureChat("gpt-4o-mini-malformed");
        await Emulator.SetFaultAsync("gpt-4o-mini-malformed", new { kind = "malformed", count = 1 });

        ChatCompletion completion = await client.CompleteChatAsync(
            [new SystemChatMessage("Allowed labels: yes, no\nRespond with JSON"), new UserChatMessage("yes please")]);

        var content = completion.Content[0].Text;
        Assert.NotEqual("yes", content);
        Assert.NotEqual("no", content);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(content).Dispose());
        Assert.Equal(IndependentTokenCount.Text(content), completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Post_HeaderFault503_Returns503EnvelopeWithoutArmingDeployment()
    {
        using var faulted = await Emulator.PostAzureAsync("gpt-4o-header", Body, r => r.Headers.Add("x-emulator-fault", "503"));
        using var next = await Emulator.PostAzureAsync("gpt-4o-header", Body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        using var json = JsonDocument.Parse(await faulted.Content.ReadAsStringAsync());
        Assert.Equal("server_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Post_HeaderFault429WithRetryAfterHeader_UsesRequestedSeconds()
    {
        using var faulted = await Emulator.PostAzureAsync("gpt-4o-header-429", Body, r =>
        {
            r.Headers.Add("x-emulator-fault", "429");
            r.Headers.Add("x-emulator-retry-after", "7");
        });

        Assert.Equal(HttpStatusCode.TooManyRequests, faulted.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), faulted.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Post_HeaderDelay_AnswersNoSoonerThanDelay()
    {
        var start = TimeProvider.System.GetTimestamp();
        using var response = await Emulator.PostAzureAsync("gpt-4o-delay", Body, r => r.Headers.Add("x-emulator-fault", "delay=250"));
        var elapsedMs = (long)TimeProvider.System.GetElapsedTime(start).TotalMilliseconds;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(elapsedMs >= 240, $"took {elapsedMs} ms");
    }

    [Fact]
    public async Task Post_UnknownHeaderFault_Returns400()
    {
        using var response = await Emulator.PostAzureAsync("gpt-4o-header-bad", Body, r => r.Headers.Add("x-emulator-fault", "explode"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_DownFault_DropsConnection()
    {
        await Emulator.SetFaultAsync("gpt-4o-down", new { kind = "down", count = 1 });

        await Assert.ThrowsAsync<HttpRequestException>(() => Emulator.PostAzureAsync("gpt-4o-down", Body));
        using var next = await Emulator.PostAzureAsync("gpt-4o-down", Body);

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Post_TimeoutFault_HoldsRequestUntilCallerGivesUp()
    {
        await Emulator.SetFaultAsync("gpt-4o-timeout", new { kind = "timeout", count = 1 });
        using var callerTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Emulator.PostAzureAsync("gpt-4o-timeout", Body, cancellationToken: callerTimeout.Token));
        using var next = await Emulator.PostAzureAsync("gpt-4o-timeout", Body);

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task PutFault_UnknownKind_Returns400()
    {
        using var response = await Emulator.Http.PutAsync(
            new Uri("/emulator/faults/gpt-4o-x", UriKind.Relative), new StringContent("""{"kind":"418"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DeleteFaults_AfterArmingTwoDeployments_ClearsBoth()
    {
        await Emulator.SetFaultAsync("gpt-4o-clear-a", new { kind = "500" });
        await Emulator.SetFaultAsync("gpt-4o-clear-b", new { kind = "500" });

        using var cleared = await Emulator.Http.DeleteAsync(new Uri("/emulator/faults", UriKind.Relative));
        using var a = await Emulator.PostAzureAsync("gpt-4o-clear-a", Body);
        using var b = await Emulator.PostAzureAsync("gpt-4o-clear-b", Body);

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
    }

    [Fact]
    public async Task GetStats_AfterFaultAndSuccess_CountsRequestsAndFaults()
    {
        await Emulator.SetFaultAsync("gpt-4o-stats", new { kind = "500", count = 1 });
        using var failed = await Emulator.PostAzureAsync("gpt-4o-stats", Body);
        using var succeeded = await Emulator.PostAzureAsync("gpt-4o-stats", Body);

        var stats = (await Emulator.GetJsonAsync("/emulator/stats")).GetProperty("gpt-4o-stats");

        Assert.Equal(2, stats.GetProperty("requests").GetInt64());
        Assert.Equal(1, stats.GetProperty("faultsServed").GetInt64());
        Assert.Equal(IndependentTokenCount.Prompt(("user", "hello")), stats.GetProperty("promptTokens").GetInt64());
    }

    [Fact]
    public async Task Build_FaultFromConfiguration_ServedUntilCountSpent()
    {
        await using var emulator = await RunningEmulator.StartAsync(
            null, "--Emulator:Deployments:gpt-4o-configured:Fault:Kind=503", "--Emulator:Deployments:gpt-4o-configured:Fault:Count=1");

        using var faulted = await emulator.PostAzureAsync("gpt-4o-configured", Body);
        using var next = await emulator.PostAzureAsync("gpt-4o-configured", Body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Build_InvalidConfiguredFault_FailsAtStart()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            RunningEmulator.StartAsync(o => o.Deployments["gpt-4o-bad"] = new DeploymentOptions { Fault = new FaultSpec { Kind = "418" } }));

        Assert.Contains("gpt-4o-bad", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_NegativeLatencyScale_FailsAtStart()
    {
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            RunningEmulator.StartAsync(o => o.LatencyScale = -1));
    }
}
