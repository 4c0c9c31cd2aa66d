using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Router.Core.Ledger;
using Router.Core.Ledger.Fleet;
using Router.Core.Security;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger.Fleet;

/// <summary>
/// A budget refresh at fleet scale, against real Table Storage with a client that counts its requests:
/// after compaction it reads compaction's spend rows only, the same number of requests for 5 or 50
/// instances, with exact figures, this instance's own share of the open hour stated (so the tracker takes
/// it out); with the rows stale (compaction stopped) it falls back to the instance rows, figures still exact.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class BudgetRefreshTests(SharedServers stack)
{
    private const long OpenNano = 250_000_000;
    private const long ClosedNano = 4_000_000_000;
    private const long OwnOpenNano = 70_000_000;

    [Fact]
    public async Task OtherInstancesSpend_5Then50InstancesSeeded_SameRequestCountAndExactFigures()
    {
        await using var fleet = await FleetTables.StartAsync(stack);
        var now = TimeProvider.System.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var through = Through(now);
        var counting = new CountingPolicy();
        var source = Source(fleet, counting, TimeProvider.System);

        await SeedAsync(fleet, 0, 5, now);
        await fleet.SeedAsync("self", "summarize", RollupKey.HourOf(now), "caller-b", 1, OwnOpenNano);
        await Compact(fleet);
        counting.Clear();
        var five = await source.OtherInstancesSpendAsync(today, CancellationToken.None);
        var fiveRequests = counting.Count;

        await SeedAsync(fleet, 5, 50, now);
        await Compact(fleet);
        counting.Clear();
        var fifty = await source.OtherInstancesSpendAsync(today, CancellationToken.None);
        var fiftyRequests = counting.Count;

        Assert.Equal(2, fiveRequests); // the shared spend rows, then this instance's own copies
        Assert.Equal(fiveRequests, fiftyRequests);
        Assert.Equal(new ClientSpend(Usd((5 * PerInstance(now, through)) + OwnOpenNano), through, Usd(OwnOpenNano)), five.ByClient["caller-b"]);
        Assert.Equal(new ClientSpend(Usd((50 * PerInstance(now, through)) + OwnOpenNano), through, Usd(OwnOpenNano)), fifty.ByClient["caller-b"]);
    }

    [Fact]
    public async Task OtherInstancesSpend_SpendRowsStale_ReadsInstanceRowsWithTheSameFigures()
    {
        await using var fleet = await FleetTables.StartAsync(stack);
        var now = TimeProvider.System.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var through = Through(now);
        await SeedAsync(fleet, 0, 5, now);
        await fleet.SeedAsync("self", "summarize", RollupKey.HourOf(now), "caller-b", 1, OwnOpenNano);
        await Compact(fleet);
        var counting = new CountingPolicy();

        // Compaction last wrote the rows an hour ago (as this source's clock sees it): they are not trusted.
        var later = new FakeTimeProvider(now + TimeSpan.FromHours(1));
        var stale = await Source(fleet, counting, later).OtherInstancesSpendAsync(today, CancellationToken.None);

        // The compacted hours still come from the spend rows (they include this instance's: IncludesOwnBefore),
        // the open hour from the other instances' rows (none of this instance's).
        Assert.Equal(new ClientSpend(Usd(5 * PerInstance(now, through)), through), stale.ByClient["caller-b"]);
        Assert.True(counting.Count > 2, "a stale refresh reads the instance rows");
    }

    private static async Task SeedAsync(FleetTables fleet, int from, int to, DateTimeOffset now)
    {
        var today = StartOf(DateOnly.FromDateTime(now.UtcDateTime));
        for (var i = from; i < to; i++)
        {
            // A closed hour of today when there is one (compacted), and the open hour (read per instance by compaction).
            if (Through(now) > today)
            {
                await fleet.SeedAsync("i-" + i, "ticket-triage", today, "caller-b", 4, ClosedNano);
            }

            await fleet.SeedAsync("i-" + i, "summarize", RollupKey.HourOf(now), "caller-b", 1, OpenNano);
        }
    }

    private static long PerInstance(DateTimeOffset now, DateTimeOffset through) =>
        (through > StartOf(DateOnly.FromDateTime(now.UtcDateTime)) ? ClosedNano : 0) + OpenNano;

    /// <summary>Where compaction's spend rows split the day: the closed boundary (ClosedAfter 10 min), never before the day's start.</summary>
    private static DateTimeOffset Through(DateTimeOffset now)
    {
        var start = StartOf(DateOnly.FromDateTime(now.UtcDateTime));
        var closed = RollupKey.HourOf(now - TimeSpan.FromMinutes(10));
        return closed < start ? start : closed;
    }

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static decimal Usd(long nano) => nano / CallRecordEntity.NanoPerUsd;

    private static RollupSpendSource Source(FleetTables fleet, CountingPolicy counting, TimeProvider time) =>
        new(new RollupStore(counting.Service(fleet.ConnectionString), Options.Create(new StorageOptions { RollupsTable = fleet.Name })), new RouterInstance("self"), Options.Create(new CompactionOptions()), time);

    private static Task<CompactionRun> Compact(FleetTables fleet) =>
        fleet.Router.Services.GetRequiredService<RollupCompactor>().RunAsync(CancellationToken.None);
}
