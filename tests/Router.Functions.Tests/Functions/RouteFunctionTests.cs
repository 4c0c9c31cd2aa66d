using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Functions;

[Collection(SharedServersDefinition.Name)]
public sealed class RouteFunctionTests(SharedServers stack)
{
    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    public static TheoryData<string, string, string, string> Routes => new()
    {
        // task, expected route, model, deployment
        { "ticket-triage", "small", "small", "gpt-4o-mini-ft" },
        { "summarize", "large", "large", "gpt-4o" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_TaskOfEachRoute_AnswersAndRecordsOneRowWithTokensCostAndLatency(string task, string route, string model, string deployment)
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var response = await http.PostAsJsonAsync("api/route", new { task, input = "I was charged twice for my plan this month, please refund one of the payments." });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var callId = body.GetProperty("callId").GetString()!;
        Assert.Equal(route, body.GetProperty("route").GetString());
        Assert.Equal(model, body.GetProperty("model").GetString());
        Assert.Equal(route, response.Headers.GetValues("x-router-route").Single());
        Assert.Equal(callId, response.Headers.GetValues("x-router-call-id").Single());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("output").GetString()));
        var usage = body.GetProperty("usage");
        var input = usage.GetProperty("inputTokens").GetInt32();
        var output = usage.GetProperty("outputTokens").GetInt32();
        Assert.True(input > 0 && output > 0);

        var rows = await _ledger.WaitForRequestAsync(callId);
        var row = Assert.Single(rows);
        Assert.Equal(task, row.Task);
        Assert.Equal(route, row.Route);
        Assert.Equal(model, row.Model);
        Assert.Equal(deployment, row.Deployment);
        Assert.Equal("caller-a", row.Client);
        Assert.Equal(input, row.InputTokens);
        Assert.Equal(output, row.OutputTokens);
        Assert.Equal(input, row.SystemTokens + row.ExamplesTokens + row.ContextTokens + row.CallerTokens);
        Assert.Equal(body.GetProperty("promptVersion").GetString(), row.PromptVersion);
        Assert.StartsWith("pv-", row.PromptVersion, StringComparison.Ordinal);

        // Price sheet (catalog.json): large 2.50 in / 10.00 out, small 0.30 in / 1.20 out, USD per 1M tokens; no cached tokens here.
        var (inPrice, outPrice) = route == "large" ? (2.50m, 10.00m) : (0.30m, 1.20m);
        var expectedCost = ((input * inPrice) + (output * outPrice)) / 1_000_000m;
        Assert.Equal(expectedCost, row.CostUsd);
        Assert.Equal(expectedCost, body.GetProperty("costUsd").GetDecimal());
        Assert.Equal("2024-10-01", row.PriceVersion);
        Assert.True(row.TotalMs > 0);
        Assert.True(row.UpstreamMs > 0);
        Assert.True(row.TotalMs >= row.UpstreamMs);
        Assert.Equal(row.TotalMs - row.UpstreamMs, row.OverheadMs, 6);
    }

    [Fact]
    public async Task Route_LargeTask_SendsSystemPromptExamplesAndContextUpstream()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var marker = "context-marker-" + Guid.NewGuid().ToString("N");
        using var response = await http.PostAsJsonAsync("api/route", new { task = "contract-qa", input = "What is the notice period?", context = marker });
        response.EnsureSuccessStatusCode();

        var messages = await LastUpstreamMessagesAsync("gpt-4o", marker);
        Assert.Equal("system", messages[0].Role);
        Assert.Contains("You answer questions about the contract", messages[0].Content, StringComparison.Ordinal);
        Assert.Contains(messages, m => m.Role == "assistant" && m.Content.Contains("30 days written notice", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Role == "system" && m.Content.Contains(marker, StringComparison.Ordinal));
        Assert.Equal(("user", "What is the notice period?"), (messages[^1].Role, messages[^1].Content));
    }

    [Fact]
    public async Task Route_SmallTask_SendsOnlyShortSystemPromptAndInputUpstream()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var input = "The export button crashes the app " + Guid.NewGuid().ToString("N");
        using var response = await http.PostAsJsonAsync("api/route", new { task = "ticket-triage", input });
        response.EnsureSuccessStatusCode();

        var messages = await LastUpstreamMessagesAsync("gpt-4o-mini-ft", input);
        Assert.Equal(2, messages.Count);
        Assert.Equal("system", messages[0].Role);
        Assert.DoesNotContain("You triage customer support tickets", messages[0].Content, StringComparison.Ordinal);
        Assert.DoesNotContain(messages, m => m.Role == "assistant");
        Assert.Equal(("user", input), (messages[1].Role, messages[1].Content));
    }

    private async Task<List<(string Role, string Content)>> LastUpstreamMessagesAsync(string deployment, string marker)
    {
        var log = await stack.Emulator.Control.GetFromJsonAsync<JsonElement>($"emulator/requests?deployment={deployment}");
        var requests = log.ValueKind == JsonValueKind.Array ? log : log.GetProperty("requests");
        foreach (var request in requests.EnumerateArray().Reverse())
        {
            var messages = request.GetProperty("messages").EnumerateArray()
                .Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))
                .ToList();
            if (messages.Any(m => m.Item2.Contains(marker, StringComparison.Ordinal)))
            {
                return messages;
            }
        }

        throw new Xunit.Sdk.XunitException($"The emulator saw no request for {deployment} containing the marker.");
    }
}
