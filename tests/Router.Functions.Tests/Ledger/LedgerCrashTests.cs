using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Distillation.Reporting;
using Router.Core.Ledger;
using Router.Core.Security;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

/// <summary>
/// A router process killed with SIGKILL (no shutdown, no flush) and started again on the same
/// journal folder: every call it answered with 200 ends up with exactly one row, and the rollups
/// (hence /api/usage, budgets and the report) add up to the rows. Real parts: the built router in standalone
/// mode as its own process, Azurite, the emulator over HTTP.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class LedgerCrashTests(SharedServers stack)
{
    [Fact]
    public async Task Route_RouterKilledMidTraffic_EveryServedCallHasOneRowAfterRestartAndRollupsAgree()
    {
        var settings = Settings(stack.Azurite.ConnectionString, stack.Emulator.Address, out var calls, out var rollups);
        var served = new List<string>();
        await using (var first = await RouterProcess.StartAsync(settings))
        {
            using var stop = new CancellationTokenSource();
            using var http = first.CreateClient(RouterServer.CallerKey);
            var traffic = Enumerable.Range(0, 4).Select(w => SendUntilStoppedAsync(http, w, served, stop.Token)).ToList();
            await Eventually.UntilAsync(() => Count(served) >= 120, "120 calls served before the kill");

            await first.KillAsync(); // mid-traffic: calls in flight, records queued, rollups unwritten
            await stop.CancelAsync();
            await Task.WhenAll(traffic);
        }

        await using var second = await RouterProcess.StartAsync(settings);
        var rows = await WaitForRowsAsync(new LedgerReader(stack.Azurite.ConnectionString, calls), served.Count);
        var rollupReader = new RollupReader(stack.Azurite.ConnectionString, rollups);
        var rollupRows = await rollupReader.WaitForCallsAsync(rows.Count, ReadyTimeout.Value);

        Assert.All(rows.GroupBy(r => r.CallId), g => Assert.Single(g));
        Assert.Empty(served.Except(rows.Select(r => r.CallId)));
        // Calls cut off by the kill after their record was journaled were made (and paid): they count too, at most one per sender.
        Assert.InRange(rows.Count - served.Count, 0, 4);
        Assert.Equal(rows.Count, rollupRows.Sum(r => r.Calls));
        Assert.Equal(rows.Sum(r => CallRecordEntity.NanoUsd(r.CostUsd)), rollupRows.Sum(r => r.CostNanoUsd));

        using var admin = second.CreateClient(RouterServer.AdminKey);
        var usage = await admin.GetFromJsonAsync<JsonElement>("api/usage?groupBy=client");
        Assert.Equal(rows.Count, usage.GetProperty("total").GetProperty("calls").GetInt64());
        Assert.Equal(rows.Sum(r => CallRecordEntity.NanoUsd(r.CostUsd)), usage.GetProperty("total").GetProperty("costNanoUsd").GetInt64());

        // Budgets and the report read the same restored rollups: another instance sees the dead one's spend
        // exactly, and the report's spend is the rows' (calls here are all caller-a's, on contract-qa).
        var spentNano = rows.Where(r => r.Client == "caller-a").Sum(r => CallRecordEntity.NanoUsd(r.CostUsd));
        settings["Router:Auth:Clients:0:DailyBudgetUsd"] = "1000";
        settings["Router:Auth:SpendRefreshInterval"] = "00:00:01";
        settings["Router:Storage:ReportsTable"] = "Reports" + Guid.NewGuid().ToString("N");
        await using var third = await RouterServer.StartAsync(settings);
        var tracker = third.Services.GetRequiredService<ClientSpendTracker>();
        await Eventually.UntilAsync(() => tracker.SpentToday("caller-a") == spentNano / CallRecordEntity.NanoPerUsd, "the budget to see the restored spend");
        var (run, _) = await third.Services.GetRequiredService<DistillationReportService>().RunAsync(CancellationToken.None);
        Assert.Equal(spentNano / CallRecordEntity.NanoPerUsd, run.Reports.Single(r => r.Task == "contract-qa").SpendUsd);
    }

    [Fact]
    public async Task Route_KilledDuringStorageOutage_ExactlyTheServedRowsAfterStorageAndRouterComeBack()
    {
        const int N = 20;
        await using var azurite = await AzuriteServer.StartAsync();
        await azurite.StopAsync();
        var settings = Settings(azurite.ConnectionString, stack.Emulator.Address, out var calls, out var rollups);
        var served = new List<string>();
        await using (var first = await RouterProcess.StartAsync(settings))
        {
            using var http = first.CreateClient(RouterServer.CallerKey);
            for (var i = 0; i < N; i++)
            {
                served.Add(await RouteAsync(http, i) ?? throw new InvalidOperationException("call failed while storage was down:\n" + first.Output));
            }

            await first.KillAsync();
        }

        await azurite.RestartAsync();
        await using var second = await RouterProcess.StartAsync(settings);
        var rows = await WaitForRowsAsync(new LedgerReader(azurite.ConnectionString, calls), N);
        var rollupRows = await new RollupReader(azurite.ConnectionString, rollups).WaitForCallsAsync(N, ReadyTimeout.Value);

        Assert.Equal(served.Order(), rows.Select(r => r.CallId).Order());
        Assert.Equal(N, rollupRows.Sum(r => r.Calls));
    }

    /// <summary>Polls RouterCalls until it holds at least <paramref name="expected"/> rows (the replay and the writer run on their own).</summary>
    private static async Task<List<CallRecord>> WaitForRowsAsync(LedgerReader reader, int expected)
    {
        var deadline = TimeProvider.System.GetUtcNow() + ReadyTimeout.Value;
        var rows = await reader.AllAsync();
        while (rows.Count < expected)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Only {rows.Count} of {expected} rows after the restart.");
            await Task.Delay(100);
            rows = await reader.AllAsync();
        }

        return rows;
    }

    private static Dictionary<string, string?> Settings(string connection, Uri emulator, out string calls, out string rollups)
    {
        var id = Guid.NewGuid().ToString("N");
        calls = "Calls" + id;
        rollups = "Rollups" + id;
        var settings = RouterServer.DefaultSettings(connection, emulator);
        settings["Router:Storage:CallsTable"] = calls;
        settings["Router:Storage:RollupsTable"] = rollups;
        settings["Router:Ledger:RollupFlushInterval"] = "00:00:01";
        settings["Router:Ledger:RetryBaseDelay"] = "00:00:00.050";
        settings["Router:Ledger:RetryMaxDelay"] = "00:00:00.300";
        return settings;
    }

    private static int Count(List<string> served)
    {
        lock (served)
        {
            return served.Count;
        }
    }

    private static async Task SendUntilStoppedAsync(HttpClient http, int sender, List<string> served, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            string? callId;
            try
            {
                callId = await RouteAsync(http, (sender * 100_000) + i);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or JsonException)
            {
                return; // the router is gone
            }

            if (callId is null)
            {
                return;
            }

            lock (served)
            {
                served.Add(callId);
            }
        }
    }

    /// <summary>One native call; its call id when it was answered with 200, else null.</summary>
    private static async Task<string?> RouteAsync(HttpClient http, int i)
    {
        using var response = await http.PostAsJsonAsync("api/route", new { task = "contract-qa", input = $"Question {i}: what does clause 7.2 say about refunds?" });
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("callId").GetString();
    }
}
