using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Background;
using Router.Core.Ledger;
using Router.Core.Security;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

/// <summary>
/// The Table client's network timeout (it surfaces as a TaskCanceledException that is not the
/// host's stop) used to end the ledger writer and the spend refresh, and with them the host. Now
/// it is an outage like any other: the router keeps serving, the loops retry and report failing,
/// and every served call is written once storage answers again. Own Azurite (a fault policy in front).
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class LedgerStorageTimeoutTests(SharedServers stack)
{
    [Fact]
    public async Task Route_StorageRequestsTimeOut_HostKeepsServingLoopsRecoverAndEveryCallIsWritten()
    {
        const int N = 20;
        // Blob too: the sample catalog's local classifier is refreshed from it (a loop that must be healthy at the end).
        await using var azurite = await AzuriteServer.StartAsync(blob: true);
        var timeouts = new TimeOutRequests();
        await using var router = await FaultyStorageRouter.StartAsync(azurite, stack.Emulator.Address, timeouts, settings =>
        {
            settings["Router:Ledger:RetryBaseDelay"] = "00:00:00.050";
            settings["Router:Ledger:RetryMaxDelay"] = "00:00:00.200";
            settings["Router:Ledger:RollupFlushInterval"] = "00:00:00.100";
            settings["Router:Auth:Clients:0:DailyBudgetUsd"] = "100"; // a budget: the spend refresh reads the rollups too
            settings["Router:Auth:SpendRefreshInterval"] = "00:00:01";
        });
        var loops = router.Services.GetRequiredService<LoopRegistry>();
        var ledger = router.Services.GetRequiredService<ICallLedger>();

        var first = await LedgerCalls.RouteAsync(router, N);
        await Eventually.UntilAsync(
            () => loops.States.Any(s => s.Name == TableCallLedger.LoopName && s.Status == LoopState.Failing)
                && loops.States.Any(s => s.Name == ClientSpendTracker.LoopName && s.Status == LoopState.Failing),
            "the ledger writer and the spend refresh report failing");
        var during = await LedgerCalls.RouteAsync(router, N); // still served while every storage request times out
        timeouts.Stop();
        await router.DrainAsync(TimeSpan.FromSeconds(60));

        var rows = await new LedgerReader(azurite.ConnectionString).AllAsync();
        Assert.Equal(first.Concat(during).Order(), rows.Select(r => r.CallId).Order());
        var rollups = await new RollupReader(azurite.ConnectionString).WaitForCallsAsync(2 * N);
        Assert.Equal(2 * N, rollups.Sum(r => r.Calls));
        await Eventually.UntilAsync(() => !loops.AnyFailing, "every loop recovered");
        var writer = loops.States.Single(s => s.Name == TableCallLedger.LoopName);
        Assert.True(writer.Failures > 0);
        Assert.Equal((0L, nameof(TaskCanceledException)), (writer.Restarts, writer.LastError));
        Assert.True(loops.States.Single(s => s.Name == ClientSpendTracker.LoopName).Failures > 0);
        Assert.Equal((0L, 0L, 2L * N), (ledger.Dropped, ledger.Rejected, ledger.Written));
        Assert.True(router.Services.GetRequiredService<TableCallLedger>().ExecuteTask is { IsCompleted: false });
    }

    /// <summary>Every storage request fails as the Table client's network timeout does, until <see cref="Stop"/>.</summary>
    private sealed class TimeOutRequests : HttpPipelinePolicy
    {
        private volatile bool _stopped;

        public void Stop() => _stopped = true;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ThrowIfTimingOut();
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ThrowIfTimingOut();
            return ProcessNextAsync(message, pipeline);
        }

        private void ThrowIfTimingOut()
        {
            if (!_stopped)
            {
                throw new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:30 (injected).");
            }
        }
    }
}
