using Router.Core.Ledger;
using Router.Core.Security;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

/// <summary>
/// Issue 10's outage, reproduced: Table Storage frozen for 60 s while calls go on at ~10/s with a
/// client budget configured. The router used to answer for 30 s and then exit (the Table client's
/// timeout surfaced as a cancellation that killed a background loop, and the host stopped), losing
/// every queued record. Own servers (not the shared collection), so this minute runs beside the rest.
/// </summary>
public sealed class StorageFreezeUnderTrafficTests
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Freeze_SixtySecondsUnderSteadyCalls_EveryCallServedHostStaysUpAndEachRecordedOnce()
    {
        await using var stack = await StorageFreeze.StartAsync();
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var stop = new CancellationTokenSource();
        var calls = new List<Task<string>>();
        var traffic = Task.Run(async () =>
        {
            var i = 0;
            var started = TimeProvider.System.GetTimestamp();
            while (!stop.IsCancellationRequested)
            {
                calls.Add(StorageFreeze.CallAsync(http, i));
                i++;
                var due = Pace * i - TimeProvider.System.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, CancellationToken.None);
                }
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(2));
        await stack.Azurite.FreezeAsync();
        var thawAt = TimeProvider.System.GetUtcNow() + StorageFreeze.FreezeFor;
        var degraded = await stack.HealthBecomesAsync(h => h.GetProperty("status").GetString() == "degraded", thawAt);
        var writerNamed = await stack.HealthBecomesAsync(h => StorageFreeze.NamesFailing(h, TableCallLedger.LoopName), thawAt);
        var waitRest = thawAt - TimeProvider.System.GetUtcNow();
        if (waitRest > TimeSpan.Zero)
        {
            await Task.Delay(waitRest);
        }

        var stoppingWhileFrozen = stack.HostStopping;
        await stack.Azurite.ThawAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await traffic;
        var served = await Task.WhenAll(calls); // each asserts its own 200

        Assert.True(degraded, "health never said degraded while storage was frozen");
        Assert.True(writerNamed, "health never named the ledger writer while storage was frozen");
        Assert.False(stoppingWhileFrozen, "the host began to stop during the freeze");
        Assert.False(stack.HostStopping, "the host began to stop after the thaw");
        // Calls went on through the whole minute, not just until the first timeout.
        Assert.True(served.Length >= StorageFreeze.FreezeFor / Pace / 2, $"only {served.Length} calls were made");

        await stack.Router.DrainAsync(TimeSpan.FromSeconds(180));
        var rows = await new LedgerReader(stack.Azurite.ConnectionString).AllAsync();
        Assert.Equal(served.Order(), rows.Select(r => r.CallId).Order());
        var rollups = await new RollupReader(stack.Azurite.ConnectionString).WaitForCallsAsync(served.Length, TimeSpan.FromSeconds(180));
        Assert.Equal(served.Length, rollups.Sum(r => r.Calls));
    }
}

/// <summary>The same freeze with no traffic at all: the budget's spend refresh alone used to stop the host.</summary>
public sealed class StorageFreezeIdleTests
{
    [Fact]
    public async Task Freeze_SixtySecondsWithBudgetAndNoTraffic_HostStaysUpAndRecovers()
    {
        await using var stack = await StorageFreeze.StartAsync();

        await stack.Azurite.FreezeAsync();
        var thawAt = TimeProvider.System.GetUtcNow() + StorageFreeze.FreezeFor;
        var refreshNamed = await stack.HealthBecomesAsync(h => StorageFreeze.NamesFailing(h, ClientSpendTracker.LoopName), thawAt);
        var waitRest = thawAt - TimeProvider.System.GetUtcNow();
        if (waitRest > TimeSpan.Zero)
        {
            await Task.Delay(waitRest);
        }

        var stoppingWhileFrozen = stack.HostStopping;
        await stack.Azurite.ThawAsync();

        Assert.True(refreshNamed, "health never named the spend refresh while storage was frozen");
        Assert.False(stoppingWhileFrozen, "the host began to stop during the freeze");
        // Every loop recovers on its own: health comes back healthy without a restart.
        Assert.True(await stack.HealthBecomesAsync(h => h.GetProperty("status").GetString() == "healthy", TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(120)), "health never came back to healthy after the thaw");
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var callId = await StorageFreeze.CallAsync(http, 0);
        await stack.Router.DrainAsync(TimeSpan.FromSeconds(60));
        Assert.Equal([callId], (await new LedgerReader(stack.Azurite.ConnectionString).AllAsync()).Select(r => r.CallId));
        Assert.False(stack.HostStopping);
    }
}
