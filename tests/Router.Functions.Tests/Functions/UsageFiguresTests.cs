using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;
using Router.Functions.Tests.Ledger;

namespace Router.Functions.Tests.Functions;

[Collection(SharedServersDefinition.Name)]
public sealed class UsageFiguresTests(SharedServers stack) : IAsyncLifetime
{
    private AzuriteServer _azurite = null!;
    private RouterServer _router = null!;
    private List<CallRecord> _rows = [];

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync();
        var settings = RouterServer.DefaultSettings(_azurite.ConnectionString, stack.Emulator.Address);
        settings["Router:Ledger:RollupFlushInterval"] = "00:00:00.100";
        _router = await RouterServer.StartAsync(settings);
        await LedgerCalls.RouteAsync(_router, 12, RouterServer.CallerKey, "contract-qa");
        await LedgerCalls.RouteAsync(_router, 8, RouterServer.CallerKey, "ticket-triage");
        await LedgerCalls.RouteAsync(_router, 6, RouterServer.OtherCallerKey, "summarize");
        await _router.DrainAsync();
        _rows = await new LedgerReader(_azurite.ConnectionString).AllAsync();
        Assert.Equal(26, _rows.Count);
        Assert.Equal(26, (await new RollupReader(_azurite.ConnectionString).WaitForCallsAsync(26)).Sum(r => r.Calls));
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Usage_AdminGroupedOrFiltered_EqualsFiguresFromRawRows()
    {
        using var http = _router.CreateClient(RouterServer.AdminKey);

        var body = await http.GetFromJsonAsync<JsonElement>("api/usage?groupBy=task,model,client");

        var groups = body.GetProperty("groups").EnumerateArray().ToList();
        var expected = _rows.GroupBy(r => (r.Task, r.Model, r.Client)).ToList();
        Assert.Equal(expected.Count, groups.Count);
        foreach (var group in groups)
        {
            var key = (group.GetProperty("task").GetString()!, group.GetProperty("model").GetString()!, group.GetProperty("client").GetString()!);
            AssertFigures(expected.Single(e => e.Key == key).ToList(), group.GetProperty("usage"));
        }

        AssertFigures(_rows, body.GetProperty("total"));

        var filtered = await http.GetFromJsonAsync<JsonElement>("api/usage?task=ticket-triage&client=caller-a&groupBy=hour");
        AssertFigures(_rows.Where(r => r.Task == "ticket-triage" && r.Client == "caller-a").ToList(), filtered.GetProperty("total"));
        Assert.Single(filtered.GetProperty("groups").EnumerateArray());
    }

    [Fact]
    public async Task Usage_Caller_SeesOnlyItsOwnClient()
    {
        using var http = _router.CreateClient(RouterServer.OtherCallerKey);

        var body = await http.GetFromJsonAsync<JsonElement>("api/usage?groupBy=client,day");

        var group = Assert.Single(body.GetProperty("groups").EnumerateArray());
        Assert.Equal("caller-b", group.GetProperty("client").GetString());
        AssertFigures(_rows.Where(r => r.Client == "caller-b").ToList(), body.GetProperty("total"));
        Assert.Equal("caller-b", body.GetProperty("client").GetString());
    }

    private static void AssertFigures(List<CallRecord> rows, JsonElement figures)
    {
        Assert.Equal(rows.Count, figures.GetProperty("calls").GetInt64());
        Assert.Equal(rows.Count(r => r.Fallback), figures.GetProperty("fallbacks").GetInt64());
        var costNano = rows.Sum(r => CallRecordEntity.NanoUsd(r.CostUsd));
        Assert.Equal(costNano, figures.GetProperty("costNanoUsd").GetInt64());
        Assert.Equal(costNano / 1_000_000_000m, figures.GetProperty("costUsd").GetDecimal());
        var tokens = figures.GetProperty("tokens");
        Assert.Equal(rows.Sum(r => (long)r.InputTokens), tokens.GetProperty("input").GetInt64());
        Assert.Equal(rows.Sum(r => (long)r.SystemTokens), tokens.GetProperty("system").GetInt64());
        Assert.Equal(rows.Sum(r => (long)r.ExamplesTokens), tokens.GetProperty("examples").GetInt64());
        Assert.Equal(rows.Sum(r => (long)r.CallerTokens), tokens.GetProperty("caller").GetInt64());
        Assert.Equal(rows.Sum(r => (long)r.OutputTokens), tokens.GetProperty("output").GetInt64());
        var histogram = new long[LatencyHistogram.BucketCount];
        foreach (var row in rows)
        {
            histogram[LatencyHistogram.BucketOf(row.TotalMs)]++;
        }

        var latency = figures.GetProperty("latencyMs");
        Assert.Equal(Math.Round(LatencyHistogram.Percentile(histogram, 0.50)!.Value, 3), latency.GetProperty("p50").GetDouble(), 6);
        Assert.Equal(Math.Round(LatencyHistogram.Percentile(histogram, 0.95)!.Value, 3), latency.GetProperty("p95").GetDouble(), 6);
        Assert.Equal(Math.Round(LatencyHistogram.Percentile(histogram, 0.99)!.Value, 3), latency.GetProperty("p99").GetDouble(), 6);
    }
}
