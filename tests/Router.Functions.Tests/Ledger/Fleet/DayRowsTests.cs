using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Distillation.Reporting;
using Router.Core.Ledger;
using Router.Core.Ledger.Fleet;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger.Fleet;

/// <summary>
/// Closed days folded into day rows (one per task / day / route / model / client / prompt version) against
/// real Table Storage: exact totals (calls, tokens, nano-USD, latency histogram), a second run changes
/// nothing, a late row for a compacted day is read at once and folded once, and whole-day readers (the
/// report over 30 days, the dashboard) read day rows with the same figures.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class DayRowsTests(SharedServers stack)
{
    private static readonly string[] Instances = ["i-1", "i-2", "i-3"];
    private static readonly string[] Clients = ["caller-a", "caller-b"];

    /// <summary>The day before yesterday and yesterday: closed whatever the time of the run.</summary>
    private static DateTimeOffset FirstDay => FleetRollups.DayOf(TimeProvider.System.GetUtcNow()).AddDays(-2);

    [Fact]
    public async Task Compact_TwoClosedDays_OneDayRowPerKeyWithTheExactTotalsOfTheInstanceRows()
    {
        await using var fleet = await FleetTables.StartAsync(stack);
        await SeedAsync(fleet);
        var raw = await TotalsAsync(fleet, dayRows: false, perInstance: true);

        var run = await CompactAsync(fleet);

        var dayRows = await fleet.DayRowsAsync("summarize");
        // 2 days x 2 clients, and on the second day the prompt changed at 14:00: a v2 row per client too.
        Assert.Equal(2, run.DaysFolded);
        Assert.Equal((2 * Clients.Length) + Clients.Length, dayRows.Count);
        var fromDayRows = RollupTotals.Of(dayRows.Select(RollupEntity.FromEntity));
        Assert.Equal(raw, Figures(fromDayRows));
        Assert.Equal(raw, await TotalsAsync(fleet, dayRows: true));
        Assert.Equal(raw, await TotalsAsync(fleet, dayRows: false));
        // The whole-day read is day rows: one row per key and day, not one per hour.
        var rows = await Store(fleet).ReadAsync(new RollupRead { Task = "summarize", From = FirstDay, To = FirstDay.AddDays(2), DayRows = true }, CancellationToken.None);
        Assert.Equal(dayRows.Count, rows.Count);
        Assert.Contains(rows, r => r.PromptVersion == "v2" && r.Hour == FirstDay.AddDays(1).AddHours(14));
    }

    [Fact]
    public async Task Compact_RunTwice_SameDayRows()
    {
        await using var fleet = await FleetTables.StartAsync(stack);
        await SeedAsync(fleet);
        await CompactAsync(fleet);
        var first = await DayFiguresAsync(fleet);

        var again = await CompactAsync(fleet);

        Assert.Equal(0, again.DaysFolded);
        Assert.Equal(first, await DayFiguresAsync(fleet));
    }

    [Fact]
    public async Task Compact_LateRowForACompactedDay_ReadAtOnceAndFoldedIntoTheDayRowOnce()
    {
        await using var fleet = await FleetTables.StartAsync(stack);
        await SeedAsync(fleet);
        await CompactAsync(fleet);
        var before = await TotalsAsync(fleet, dayRows: true);

        // i-3 flushes late: its 03:00 row of the first day for caller-a grows from 10 to 17 calls (cumulative, with its marker).
        // Its seeded cost was 10,000,199 nano-USD (SeedAsync's 199th row: 2 x 96 + 3 x 2 + 1); 7 more calls add 7,000,000.
        await fleet.SeedAsync("i-3", "summarize", FirstDay.AddHours(3), "caller-a", 17, 17_000_199);
        var late = await TotalsAsync(fleet, dayRows: true);
        var rerun = await CompactAsync(fleet);
        var after = await TotalsAsync(fleet, dayRows: true);

        Assert.Equal(before.Calls + 7, late.Calls);
        Assert.Equal(before.CostNanoUsd + 7_000_000, late.CostNanoUsd);
        Assert.Equal(1, rerun.DaysFolded);
        Assert.Equal(late, after);
        Assert.Equal(late, Figures(RollupTotals.Of((await fleet.DayRowsAsync("summarize")).Select(RollupEntity.FromEntity))));
        Assert.Empty(await fleet.MarkersAsync());
    }

    [Fact]
    public async Task Report_ThirtyDaysAfterCompaction_SameUsageAndPromptDateFromFewerRows()
    {
        await using var fleet = await FleetTables.StartAsync(stack);
        await SeedAsync(fleet);
        var reader = fleet.Router.Services.GetRequiredService<RollupUsageReader>();
        var now = TimeProvider.System.GetUtcNow();
        var windowEnd = FleetRollups.DayOf(now);
        var before = await reader.ReadAsync("summarize", "v2", windowEnd.AddDays(-30), windowEnd, now, CancellationToken.None);

        await CompactAsync(fleet);
        var after = await reader.ReadAsync("summarize", "v2", windowEnd.AddDays(-30), windowEnd, now, CancellationToken.None);

        Assert.Equal(JsonSerializer.Serialize(before.Usage), JsonSerializer.Serialize(after.Usage));
        Assert.Equal(FirstDay.AddDays(1).AddHours(14), before.PromptVersionSince);
        Assert.Equal(before.PromptVersionSince, after.PromptVersionSince);
        Assert.True(after.RowsRead < before.RowsRead / 5, FormattableString.Invariant($"the report read {after.RowsRead} rows after compaction, {before.RowsRead} before"));
    }

    /// <summary>3 instances x 2 days x 24 hours x 2 clients of summarize; on the second day the prompt is v2 from 14:00.</summary>
    private static async Task SeedAsync(FleetTables fleet)
    {
        var i = 0;
        foreach (var instance in Instances)
        {
            for (var h = 0; h < 48; h++)
            {
                foreach (var client in Clients)
                {
                    i++;
                    await fleet.SeedAsync(instance, "summarize", FirstDay.AddHours(h), client, 10, (10 * 1_000_000) + i, promptVersion: h >= 24 + 14 ? "v2" : "v1");
                }
            }
        }
    }

    private static RollupStore Store(FleetTables fleet) => fleet.Router.Services.GetRequiredService<RollupStore>();

    private static Task<CompactionRun> CompactAsync(FleetTables fleet) =>
        fleet.Router.Services.GetRequiredService<RollupCompactor>().RunAsync(CancellationToken.None);

    private static async Task<(long Calls, long CostNanoUsd, string Buckets, long InputTokens, long OutputTokens)> TotalsAsync(FleetTables fleet, bool dayRows, bool perInstance = false)
    {
        var rows = await Store(fleet).ReadAsync(new RollupRead { Task = "summarize", From = FirstDay, To = FirstDay.AddDays(2), DayRows = dayRows, PerInstance = perInstance }, CancellationToken.None);
        return Figures(RollupTotals.Of(rows));
    }

    private static (long Calls, long CostNanoUsd, string Buckets, long InputTokens, long OutputTokens) Figures(RollupTotals totals) =>
        (totals.Calls, totals.CostNanoUsd, string.Join(",", totals.LatencyBuckets), totals.InputTokens, totals.OutputTokens);

    private static async Task<string> DayFiguresAsync(FleetTables fleet) =>
        string.Join("\n", (await fleet.DayRowsAsync("summarize"))
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.RowKey}:{r.GetInt64("Calls")}:{r.GetInt64("CostNanoUsd")}:{r.GetDateTimeOffset("Hour"):O}"))
            .Order(StringComparer.Ordinal));
}
