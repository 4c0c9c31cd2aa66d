using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Resilience;

/// <summary>Emulator faults against a real router: retries, cascade, backend failover and the circuit breaker, each with the ledger checked.</summary>
[Collection(SharedServersDefinition.Name)]
public sealed class ModelResilienceTests(SharedServers stack)
{
    private const string Ticket = "I was charged twice for my plan this month, please refund one of the payments.";
    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    [Fact]
    public async Task ChatCompletions_429WithRetryAfter_WaitsThenSucceedsAndRecordsOneCall()
    {
        var faulty = new FaultyDeployments(stack);
        await using var router = await RouterServer.StartAsync(faulty.Settings);
        await faulty.ArmAsync(faulty.Large, new { kind = "429", count = 1, retryAfterSeconds = 1 });

        using var response = await PostAsync(router, "summarize");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var times = await faulty.UpstreamRequestTimesAsync(faulty.Large);
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(900), $"retried after {(times[1] - times[0]).TotalMilliseconds} ms; Retry-After said 1 s");
        var rows = await RowsAsync(router, response);
        var row = Assert.Single(rows);
        Assert.Equal("ok", row.Status);
        Assert.True(row.CostUsd > 0);
    }

    [Fact]
    public async Task ChatCompletions_RetryAfterBeyondDeadline_GivesUpAtTheDeadline()
    {
        var faulty = new FaultyDeployments(stack);
        faulty.Settings["Router:RequestTimeout"] = "00:00:02";
        await using var router = await RouterServer.StartAsync(faulty.Settings);
        await faulty.ArmAsync(faulty.Large, new { kind = "429", retryAfterSeconds = 60 });
        try
        {
            var start = TimeProvider.System.GetTimestamp();
            using var response = await PostAsync(router, "summarize");
            var elapsed = TimeProvider.System.GetElapsedTime(start);

            Assert.True((int)response.StatusCode is 503 or 504, $"got {(int)response.StatusCode}");
            Assert.True(elapsed < TimeSpan.FromSeconds(20), $"took {elapsed}; the deadline is 2 s and Retry-After 60 s");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("server_error", body.GetProperty("error").GetProperty("type").GetString());
            await router.DrainAsync();
            var rows = (await _ledger.AllAsync()).Where(r => r.Deployment == faulty.Large).ToList();
            var row = Assert.Single(rows);
            Assert.Equal("upstream-error", row.Status);
            Assert.Equal(0m, row.CostUsd);
        }
        finally
        {
            await faulty.ClearAsync(faulty.Large);
        }
    }

    [Fact]
    public async Task ChatCompletions_SmallDeploymentFails_LargeServesAndBothCallsRecorded()
    {
        var faulty = new FaultyDeployments(stack);
        await using var router = await RouterServer.StartAsync(faulty.Settings);
        await faulty.ArmAsync(faulty.Small, new { kind = "500" });
        try
        {
            using var response = await PostAsync(router, "ticket-triage");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("large", response.Headers.GetValues("x-router-route").Single());
            Assert.Equal("true", response.Headers.GetValues("x-router-fallback").Single());
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("ticket-triage", body.GetProperty("model").GetString());
            Assert.Equal(faulty.Large, response.Headers.GetValues("x-router-deployment").Single());

            var rows = await RowsAsync(router, response, expected: 2);
            var callId = response.Headers.GetValues("x-router-call-id").Single();
            var small = Assert.Single(rows, r => r.CallId == callId + "-small");
            Assert.Equal("escalated", small.Status);
            Assert.Equal(0m, small.CostUsd);
            Assert.StartsWith("small model failed", small.FallbackReason, StringComparison.Ordinal);
            var large = Assert.Single(rows, r => r.CallId == callId);
            Assert.True(large.Fallback);
            Assert.Equal("ok", large.Status);
            Assert.True(large.CostUsd > 0);
            Assert.Equal(large.CostUsd.ToString("0.##########", System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("x-router-cost-usd").Single());
        }
        finally
        {
            await faulty.ClearAsync(faulty.Small);
        }
    }

    [Fact]
    public async Task ChatCompletions_MalformedSmallAnswer_EscalatesAndRecordsBothCallsWithCosts()
    {
        var faulty = new FaultyDeployments(stack);
        await using var router = await RouterServer.StartAsync(faulty.Settings);
        await faulty.ArmAsync(faulty.Small, new { kind = "malformed", count = 1 });

        using var response = await PostAsync(router, "ticket-triage");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), (string[])["billing", "bug", "feature-request", "account", "other"]);
        var rows = await RowsAsync(router, response, expected: 2);
        var callId = response.Headers.GetValues("x-router-call-id").Single();
        var small = Assert.Single(rows, r => r.CallId == callId + "-small");
        Assert.Equal("escalated", small.Status);
        Assert.Equal("output is not one of the allowed labels", small.FallbackReason);
        Assert.Equal(((small.InputTokens * 0.30m) + (small.OutputTokens * 1.20m)) / 1_000_000m, small.CostUsd);
        Assert.True(small.CostUsd > 0);
        var large = Assert.Single(rows, r => r.CallId == callId);
        Assert.True(large.Fallback);
        Assert.Equal(((large.InputTokens * 2.50m) + (large.OutputTokens * 10.00m)) / 1_000_000m, large.CostUsd);
        var total = decimal.Parse(response.Headers.GetValues("x-router-cost-usd").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(small.CostUsd + large.CostUsd, total);
    }

    [Fact]
    public async Task ChatCompletions_StreamOnSmallRouteWhoseModelFails_LargeStreamsAndBothCallsRecorded()
    {
        var faulty = new FaultyDeployments(stack);
        faulty.Settings["Router:Tasks:summarize:Route"] = "small";
        faulty.Settings["Router:Tasks:summarize:CascadeToLarge"] = "true";
        faulty.Settings["Router:Resilience:MaxRetries"] = "0";
        await using var router = await RouterServer.StartAsync(faulty.Settings);
        await faulty.ArmAsync(faulty.Small, new { kind = "503" });
        try
        {
            using var response = await PostAsync(router, "summarize", stream: true);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("large", response.Headers.GetValues("x-router-route").Single());
            Assert.Equal("true", response.Headers.GetValues("x-router-fallback").Single());
            Assert.Contains("data: [DONE]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var callId = response.Headers.GetValues("x-router-call-id").Single();
            var rows = await RowsAsync(router, response, expected: 2);
            Assert.Equal(2, rows.Count);
            var small = Assert.Single(rows, r => r.CallId == callId + "-small");
            Assert.Equal("escalated", small.Status);
            Assert.Equal(0m, small.CostUsd);
            var large = Assert.Single(rows, r => r.CallId == callId);
            Assert.True(large.Streamed);
            Assert.True(large.Fallback);
            Assert.Equal("ok", large.Status);
            Assert.False(large.UsageEstimated);
            Assert.True(large.CostUsd > 0);
        }
        finally
        {
            await faulty.ClearAsync(faulty.Small);
        }
    }

    [Fact]
    public async Task ChatCompletions_StreamedLargeAnswerBreaksJsonRule_RecordedWithOutputViolation()
    {
        var faulty = new FaultyDeployments(stack);
        await using var router = await RouterServer.StartAsync(faulty.Settings);
        await faulty.ArmAsync(faulty.Large, new { kind = "malformed", count = 1 });

        using var response = await PostAsync(router, "invoice-extract", stream: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data: [DONE]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var row = Assert.Single(await RowsAsync(router, response));
        Assert.Equal("ok", row.Status);
        Assert.True(row.Streamed);
        Assert.Equal("output is not valid JSON", row.OutputViolation);
        Assert.True(row.CostUsd > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletions_PrimaryBackendDown_SecondaryServes(bool stream)
    {
        var faulty = new FaultyDeployments(stack);
        faulty.Settings["Router:Models:large:Endpoint"] = $"http://127.0.0.1:{FreePortForTests()}/";
        faulty.Settings["Router:Models:large:Backends:0:Endpoint"] = stack.Emulator.Address.ToString();
        faulty.Settings["Router:Models:large:Backends:0:Priority"] = "1";
        faulty.Settings["Router:Models:large:Backends:1:Endpoint"] = $"http://127.0.0.1:{FreePortForTests()}/";
        faulty.Settings["Router:Models:large:Backends:1:Priority"] = "5";
        faulty.Settings["Router:Resilience:MaxRetries"] = "0";
        await using var router = await RouterServer.StartAsync(faulty.Settings);

        using var response = await PostAsync(router, "summarize", stream);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("Summary:", stream ? string.Concat(text.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l[6..]).RootElement.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : string.Empty).FirstOrDefault())) : text, StringComparison.Ordinal);
        Assert.Single(await faulty.UpstreamRequestTimesAsync(faulty.Large));
        var row = Assert.Single(await RowsAsync(router, response));
        Assert.Equal("ok", row.Status);
        Assert.Equal(stream, row.Streamed);
        Assert.True(row.CostUsd > 0);
    }

    [Fact]
    public async Task ChatCompletions_RepeatedFailures_OpenCircuitThenItClosesAfterBreak()
    {
        var faulty = new FaultyDeployments(stack);
        faulty.Settings["Router:Resilience:MaxRetries"] = "0";
        faulty.Settings["Router:Resilience:CircuitMinimumThroughput"] = "2";
        faulty.Settings["Router:Resilience:CircuitFailureRatio"] = "0.5";
        faulty.Settings["Router:Resilience:AttemptTimeout"] = "00:00:05";
        faulty.Settings["Router:Resilience:CircuitSamplingDuration"] = "00:00:10";
        faulty.Settings["Router:Resilience:CircuitBreakDuration"] = "00:00:01";
        await using var router = await RouterServer.StartAsync(faulty.Settings);
        await faulty.ArmAsync(faulty.Large, new { kind = "500" });

        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var failing = await PostAsync(router, "summarize");
            Assert.Equal(HttpStatusCode.BadGateway, failing.StatusCode);
        }

        using (var open = await PostAsync(router, "summarize"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, open.StatusCode);
            var body = await open.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("circuit is open", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.True(open.Headers.Contains("Retry-After"));
        }

        Assert.Equal(2, (await faulty.UpstreamRequestTimesAsync(faulty.Large)).Count);
        await faulty.ClearAsync(faulty.Large);
        await Task.Delay(TimeSpan.FromMilliseconds(1200));

        using (var closed = await PostAsync(router, "summarize"))
        {
            Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        }

        Assert.Equal(3, (await faulty.UpstreamRequestTimesAsync(faulty.Large)).Count);
        await router.DrainAsync();
        var rows = (await _ledger.AllAsync()).Where(r => r.Deployment == faulty.Large).ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(3, rows.Count(r => r.Status == "upstream-error" && r.CostUsd == 0));
        Assert.Single(rows, r => r.Status == "ok" && r.CostUsd > 0);
    }

    private static int FreePortForTests()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<HttpResponseMessage> PostAsync(RouterServer router, string task, bool stream = false)
    {
        using var http = router.CreateClient(RouterServer.CallerKey);
        var body = stream
            ? (object)new { model = task, stream = true, messages = new[] { new { role = "user", content = Ticket } } }
            : new { model = task, messages = new[] { new { role = "user", content = Ticket } } };
        var response = await http.PostAsJsonAsync("api/v1/chat/completions", body);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<List<Router.Core.Ledger.CallRecord>> RowsAsync(RouterServer router, HttpResponseMessage response, int expected = 1)
    {
        await router.DrainAsync();
        var callId = response.Headers.GetValues("x-router-call-id").Single();
        return await _ledger.WaitForRequestAsync(callId, expected);
    }
}
