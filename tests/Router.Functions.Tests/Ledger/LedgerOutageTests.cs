using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

[Collection(SharedServersDefinition.Name)]
public sealed class LedgerOutageTests(SharedServers stack)
{
    [Fact]
    public async Task Route_StorageDownFromStartThenBack_CallsSucceedHealthDegradedThenExactlyNRowsAndRollups()
    {
        const int N = 25;
        await using var azurite = await AzuriteServer.StartAsync();
        await azurite.StopAsync(); // storage is down before the router even starts: table creation must wait, not fail
        var settings = RouterServer.DefaultSettings(azurite.ConnectionString, stack.Emulator.Address);
        settings["Router:Ledger:RetryBaseDelay"] = "00:00:00.050";
        settings["Router:Ledger:RetryMaxDelay"] = "00:00:00.300";
        settings["Router:Ledger:RollupFlushInterval"] = "00:00:00.100";
        settings["Router:Ledger:InstanceId"] = "outage";
        await using var router = await RouterServer.StartAsync(settings);

        var callIds = await LedgerCalls.RouteAsync(router, N);

        var ledger = router.Services.GetRequiredService<ICallLedger>();
        Assert.Equal(N, ledger.QueueDepth);
        using (var health = await router.Http.GetAsync("api/health"))
        {
            var body = await health.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("degraded", body.GetProperty("status").GetString());
            Assert.Equal(N, body.GetProperty("ledger").GetProperty("queueDepth").GetInt32());
            Assert.True(body.GetProperty("ledger").GetProperty("oldestPendingSeconds").GetDouble() >= 0);
            Assert.Equal(0, body.GetProperty("ledger").GetProperty("written").GetInt64());
        }

        await azurite.RestartAsync();
        await router.DrainAsync(TimeSpan.FromSeconds(30));

        var rows = await new LedgerReader(azurite.ConnectionString).AllAsync();
        Assert.Equal(callIds.Order(), rows.Select(r => r.CallId).Order());
        var rollups = await new RollupReader(azurite.ConnectionString).WaitForCallsAsync(N);
        Assert.Equal(N, rollups.Sum(r => r.Calls));
        Assert.Equal(rows.Sum(r => CallRecordEntity.NanoUsd(r.CostUsd)), rollups.Sum(r => r.CostNanoUsd));
        Assert.Equal((0L, 0L, (long)N), (ledger.Dropped, ledger.Rejected, ledger.Written));
    }

    [Fact]
    public async Task Enqueue_QueueFull_CountsDroppedRecordsAndHealthSaysDegraded()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await azurite.StopAsync();
        var settings = RouterServer.DefaultSettings(azurite.ConnectionString, stack.Emulator.Address);
        settings["Router:Ledger:QueueCapacity"] = "1000";
        settings["Router:Ledger:FlushInterval"] = "00:01:00"; // the writer holds off: the queue only fills
        settings["Router:Ledger:ShutdownFlushTimeout"] = "00:00:00.200";
        await using var router = await RouterServer.StartAsync(settings);
        var ledger = router.Services.GetRequiredService<ICallLedger>();
        var template = new CallRecord
        {
            CallId = "x", RequestId = "x", Timestamp = TimeProvider.System.GetUtcNow(), Task = "contract-qa", Route = "large", Model = "large", Deployment = "gpt-4o",
            Client = "caller-a", Api = "route", Status = CallStatus.Ok, PriceVersion = "p", PromptVersion = "v",
        };

        var kept = Enumerable.Range(0, 1_010).Count(i => ledger.Enqueue(template with { CallId = "c" + i, RequestId = "c" + i }));

        Assert.Equal(1_000, kept);
        Assert.Equal(10, ledger.Dropped);
        using var health = await router.Http.GetAsync("api/health");
        var body = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Equal(10, body.GetProperty("ledger").GetProperty("dropped").GetInt64());
    }
}
