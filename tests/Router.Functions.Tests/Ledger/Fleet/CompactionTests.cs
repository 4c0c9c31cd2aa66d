using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Ledger;
using Router.Core.Ledger.Fleet;
using Router.Core.Security;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger.Fleet;

/// <summary>
/// Rollup compaction against real Table Storage: closed hours' per-instance rows folded into one
/// fleet row per hour / route / model / client, with every reader's figures unchanged, idempotent
/// re-runs, late rows folded by the next run and never counted twice, a crashed run repaired, and
/// budgets reading the compacted day. Each test has tables of its own.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class CompactionTests(SharedServers stack)
{
    private static readonly string[] Instances = ["i-1", "i-2", "i-3"];
    private static readonly string[] Tasks = ["summarize", "ticket-triage"];
    private static readonly string[] Clients = ["caller-a", "caller-b"];

    /// <summary>Yesterday 09:00-11:59 UTC: closed, whatever the time of the run.</summary>
    private static DateTimeOffset FirstHour => RollupKey.HourOf(TimeProvider.System.GetUtcNow()).Date.AddDays(-1).AddHours(9) is var d ? new DateTimeOffset(d, TimeSpan.Zero) : default;

    [Fact]
    public async Task Compact_ClosedHoursOfThreeInstances_OneFleetRowPerKeyAndEveryReadUnchanged()
    {
        await using var fleet = await FleetTables.StartAsync(stack);
        await SeedGridAsync(fleet);
        var usageBefore = await UsageJsonAsync(fleet);
        var dashboardBefore = await DashboardJsonAsync(fleet);
        var totalsBefore = await TotalsAsync(fleet);

        var run = await CompactAsync(fleet);

        Assert.True(run.Ran);
        Assert.Equal(Tasks.Length * 3, run.HoursFolded);
        Assert.Equal(Instances.Length * Tasks.Length * 3 * Clients.Length, run.InstanceRowsRead);
        Assert.Equal(Tasks.Length * 3 * Clients.Length, run.FleetRowsWritten);
        Assert.Empty(await fleet.MarkersAsync());
        Assert.Equal(3 * Clients.Length, (await fleet.FleetRowsAsync("summarize")).Count);
        Assert.Equal(totalsBefore, await TotalsAsync(fleet));
        Assert.Equal(usageBefore, await UsageJsonAsync(fleet));
        Assert.Equal(dashboardBefore, await DashboardJsonAsync(fleet));
        Assert.Contains("\"Calls\":180", dashboardBefore, StringComparison.Ordinal); // summarize's yesterday: 3 instances x 3 hours x 2 clients x 10
        // The reader now reads the fleet rows: one per key instead of one per instance.
        var rows = await fleet.Router.Services.GetRequiredService<RollupStore>().ReadAsync(new RollupRead { Task = "summarize", From = FirstHour, To = FirstHour.AddHours(3) }, CancellationToken.None);
        Assert.All(rows, r => Assert.Equal(FleetRollups.Instance, r.Instance));
        Assert.Equal(3 * Clients.Length, rows.Count);
    }

    [Fact]
    public async Task Compact_RunTwice_SameFleetRowsAndTotals()
    {
        await using var fleet = await FleetTables.StartAsync(stack);
        await SeedGridAsync(fleet);
        await CompactAsync(fleet);
        var first = await FleetFiguresAsync(fleet);

        var again = await CompactAsync(fleet);

        Assert.Equal(0, again.HoursFolded);
        Assert.Equal(first, await FleetFiguresAsync(fleet));
    }

    /// <summary>
    /// Two routers of one fleet start compaction while the other's run is under way (standalone mode runs the
    /// timer on every instance): the blob lease lets one do the work and the other skip, and the totals are exact.
    /// </summary>
    [Fact]
    public async Task CompactUnderLease_TwoRoutersAtOnce_OneCompactsTheOtherSkipsAndTotalsAreExact()
    {
        await using var fleet = await FleetTables.StartAsync(stack, instance: "router-a");
        await using var peer = await fleet.StartPeerAsync(stack, "router-b");
        await SeedGridAsync(fleet);
        var totalsBefore = await TotalsAsync(fleet);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var compactorA = fleet.Router.Services.GetRequiredService<RollupCompactor>();

        // Router A takes the lease and holds it until B has tried.
        var runA = fleet.Router.Services.GetRequiredService<CompactionLease>().RunExclusiveAsync(
            async ct =>
            {
                holding.SetResult();
                await release.Task.WaitAsync(ct);
                return await compactorA.RunAsync(ct);
            },
            CancellationToken.None);
        await holding.Task.WaitAsync(ReadyTimeout.Value);
        var runB = await peer.Services.GetRequiredService<CompactionLease>().RunExclusiveAsync(peer.Services.GetRequiredService<RollupCompactor>().RunAsync, CancellationToken.None);
        release.SetResult();
        var ranA = await runA;

        Assert.Null(runB);
        Assert.NotNull(ranA);
        Assert.Equal(Tasks.Length * 3, ranA.HoursFolded);
        Assert.Empty(await fleet.MarkersAsync());
        Assert.Equal(totalsBefore, await TotalsAsync(fleet));

        // The lease was released: the next run, on B, goes ahead and finds nothing left to fold.
        var next = await peer.Services.GetRequiredService<CompactionLease>().RunExclusiveAsync(peer.Services.GetRequiredService<RollupCompactor>().RunAsync, CancellationToken.None);
        Assert.NotNull(next);
        Assert.Equal(0, next.HoursFolded);
        Assert.Equal(totalsBefore, await TotalsAsync(fleet));
    }

    [Fact]
    public async Task Compact_LateRowAfterCompaction_ReadAtOnceAndFoldedByTheNextRunNeverTwice()
    {
        await using var fleet = await FleetTables.StartAsync(stack);
        await SeedGridAsync(fleet);
        await CompactAsync(fleet);
        var before = await TotalsAsync(fleet);

        // i-2 flushes late: its 10:00 row for caller-a grows from 10 to 15 calls (cumulative), with the marker.
        // Its seeded cost was 10,000,015 nano-USD (SeedGridAsync's 15th row); 5 more calls add 5,000,000.
        await fleet.SeedAsync("i-2", "summarize", FirstHour.AddHours(1), "caller-a", 15, 15_000_015);
        var late = await TotalsAsync(fleet);
        var rerun = await CompactAsync(fleet);
        var after = await TotalsAsync(fleet);

        Assert.Equal(before.Calls + 5, late.Calls);
        Assert.Equal(before.CostNanoUsd + (5 * 1_000_000), late.CostNanoUsd);
        Assert.Equal(1, rerun.HoursFolded);
        Assert.Equal(late, after);
        Assert.Empty(await fleet.MarkersAsync());
    }

    [Fact]
    public async Task Compact_CrashedBeforeClearingMarkersAndState_RerunGivesTheSameTotals()
    {
        await using var fleet = await FleetTables.StartAsync(stack);
        await SeedGridAsync(fleet);
        var before = await TotalsAsync(fleet);
        await CompactAsync(fleet);
        var fleetRows = await FleetFiguresAsync(fleet);

        // As if the run had died after writing fleet rows: markers back, no watermark.
        foreach (var task in Tasks)
        {
            await fleet.Fleet.DeleteEntityAsync(FleetRollups.StatePartition, task);
            foreach (var instance in Instances)
            {
                for (var h = 0; h < 3; h++)
                {
                    await fleet.Rollups.UpsertEntityAsync(RollupMarkers.ToEntity(task, FirstHour.AddHours(h), instance));
                }
            }
        }

        var halfDone = await TotalsAsync(fleet);
        await CompactAsync(fleet);

        Assert.Equal(before, halfDone);
        Assert.Equal(before, await TotalsAsync(fleet));
        Assert.Equal(fleetRows, await FleetFiguresAsync(fleet));
    }

    [Fact]
    public async Task Compact_TaskOnlyInAnotherInstancesCatalog_FoundByItsMarkersOnceAnHourCloses()
    {
        await using var fleet = await FleetTables.StartAsync(stack);
        await SeedGridAsync(fleet);
        await CompactAsync(fleet);

        // An instance with another catalog (a deploy in progress) writes a task this router does not know.
        await fleet.SeedAsync("i-9", "deploy-task", FirstHour, "caller-a", 4, 4_000_000);
        await CompactAsync(fleet); // no hour closed since the last run: markers are read task by task only
        var unseen = await fleet.FleetRowsAsync("deploy-task");
        // As if an hour had just closed: a watermark an hour back, so this run also reads the markers across the table.
        var state = (await fleet.Router.Services.GetRequiredService<RollupStore>().CompactedBeforeAsync("summarize", CancellationToken.None))["summarize"];
        await fleet.Fleet.UpsertEntityAsync(FleetRollups.State("summarize", state with { CompactedBefore = state.CompactedBefore.AddHours(-1) }));
        await CompactAsync(fleet);

        Assert.Empty(unseen);
        var row = Assert.Single(await fleet.FleetRowsAsync("deploy-task"));
        Assert.Equal(4, row.GetInt64("Calls"));
        Assert.Empty(await fleet.MarkersAsync());
    }

    [Fact]
    public async Task Writer_RollupFlush_CommitsTheHoursMarkerWithTheRows()
    {
        await using var fleet = await FleetTables.StartAsync(stack, instance: "writer-" + Guid.NewGuid().ToString("N")[..6]);
        await LedgerCalls.RouteAsync(fleet.Router, 3);
        await fleet.Router.DrainAsync();

        var deadline = TimeProvider.System.GetUtcNow() + ReadyTimeout.Value;
        while ((await fleet.MarkersAsync()).Count == 0)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "no marker was written with the rollup rows");
            await Task.Delay(100);
        }

        var marker = Assert.Single(await fleet.MarkersAsync());
        var hour = RollupKey.HourOf(TimeProvider.System.GetUtcNow());
        Assert.Equal("contract-qa", marker.PartitionKey);
        Assert.StartsWith(RollupMarkers.Prefix + RollupEntity.HourPrefix(hour).AsSpan(0, 8).ToString(), marker.RowKey, StringComparison.Ordinal);
        Assert.EndsWith("-" + fleet.Router.Services.GetRequiredService<RouterInstance>().Id, marker.RowKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherInstancesSpend_AfterCompaction_SameFiguresFromTheCompactedDay()
    {
        await using var fleet = await FleetTables.StartAsync(stack);
        var now = TimeProvider.System.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var start = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var closedHours = (int)(RollupKey.HourOf(now - TimeSpan.FromMinutes(10)) - start).TotalHours;
        foreach (var instance in Instances)
        {
            // A closed hour of today when there is one, and the open hour: both must count.
            if (closedHours > 0)
            {
                await fleet.SeedAsync(instance, "summarize", start, "caller-b", 4, 4_000_000_000);
            }

            await fleet.SeedAsync(instance, "ticket-triage", RollupKey.HourOf(now), "caller-b", 1, 250_000_000);
        }

        var source = fleet.Router.Services.GetRequiredService<ISpendSource>();
        var before = await source.OtherInstancesSpendAsync(today, CancellationToken.None);
        await CompactAsync(fleet);
        var after = await source.OtherInstancesSpendAsync(today, CancellationToken.None);

        var expected = Instances.Length * ((closedHours > 0 ? 4m : 0m) + 0.25m);
        Assert.Equal(new ClientSpend(expected), before.ByClient["caller-b"]);
        // After: the spend rows (compacted hours and the open hour, every instance; none of them this router's own).
        Assert.Equal(new ClientSpend(expected, start.AddHours(Math.Max(0, closedHours))), after.ByClient["caller-b"]);
    }

    private static async Task SeedGridAsync(FleetTables fleet)
    {
        var i = 0;
        foreach (var instance in Instances)
        {
            foreach (var task in Tasks)
            {
                for (var h = 0; h < 3; h++)
                {
                    foreach (var client in Clients)
                    {
                        i++;
                        await fleet.SeedAsync(instance, task, FirstHour.AddHours(h), client, 10, (10 * 1_000_000) + i);
                    }
                }
            }
        }
    }

    private static Task<CompactionRun> CompactAsync(FleetTables fleet) =>
        fleet.Router.Services.GetRequiredService<RollupCompactor>().RunAsync(CancellationToken.None);

    private static async Task<(long Calls, long CostNanoUsd, long Buckets, long InputTokens)> TotalsAsync(FleetTables fleet)
    {
        var rows = await fleet.Router.Services.GetRequiredService<RollupStore>().ReadAsync(new RollupRead { From = FirstHour.AddDays(-1), To = FirstHour.AddDays(1) }, CancellationToken.None);
        var totals = RollupTotals.Of(rows);
        return (totals.Calls, totals.CostNanoUsd, totals.LatencyBuckets.Sum(), totals.InputTokens);
    }

    private static async Task<string> FleetFiguresAsync(FleetTables fleet)
    {
        var rows = new List<string>();
        foreach (var task in Tasks)
        {
            rows.AddRange((await fleet.FleetRowsAsync(task)).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.PartitionKey}/{r.RowKey}:{r.GetInt64("Calls")}:{r.GetInt64("CostNanoUsd")}")));
        }

        return string.Join("\n", rows.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Read_UsageAndDashboardAfterCompaction_EveryRollupQueryProjectsItsColumnsAndNamesItsPartition()
    {
        var counting = new CountingPolicy();
        await using var fleet = await FleetTables.StartAsync(stack, counting: counting);
        await SeedGridAsync(fleet);
        // A task gone from the catalog, its rows written before markers existed: compaction's first run finds it.
        await fleet.SeedAsync("i-1", "retired-task", FirstHour, "caller-a", 3, 3_000_000);
        await fleet.Rollups.DeleteEntityAsync("retired-task", RollupMarkers.RowKey(FirstHour, "i-1"));
        var before = await UsageJsonAsync(fleet);
        await CompactAsync(fleet);

        counting.Clear();
        var after = await UsageJsonAsync(fleet);
        var one = await UsageJsonAsync(fleet, task: "summarize");
        await DashboardJsonAsync(fleet);
        var queries = counting.Requests.Where(u => u.AbsolutePath.Contains(fleet.Name, StringComparison.Ordinal) && u.AbsolutePath.EndsWith("()", StringComparison.Ordinal)).Select(u => Uri.UnescapeDataString(u.Query)).ToList();

        Assert.Equal(before, after);
        Assert.Contains("\"task\":\"retired-task\"", after, StringComparison.Ordinal);
        Assert.Contains("\"calls\":180", one, StringComparison.Ordinal); // 3 instances x 3 hours x 2 clients x 10 calls
        Assert.NotEmpty(queries);
        Assert.All(queries, q => Assert.True(q.Contains("$select=", StringComparison.Ordinal), "no projection: " + q));
        // Every task by its partition, including the query of every task: no scan of the table.
        Assert.All(queries, q => Assert.True(q.Contains("PartitionKey eq '", StringComparison.Ordinal) && !q.Contains("PartitionKey ne", StringComparison.Ordinal), "not one partition: " + q));
        // The figures are read, the prompt version, first/last call and journal position are not.
        Assert.All(queries.Where(q => q.Contains("Calls", StringComparison.Ordinal)), q => Assert.DoesNotContain("JournalSeq", q, StringComparison.Ordinal));
    }

    private static async Task<string> DashboardJsonAsync(FleetTables fleet)
    {
        var data = await fleet.Router.Services.GetRequiredService<Router.Core.Dashboard.DashboardService>().GetAsync(2, CancellationToken.None);
        return System.Text.Json.JsonSerializer.Serialize(data.Tasks.Where(t => Tasks.Contains(t.Task)).ToList());
    }

    private static async Task<string> UsageJsonAsync(FleetTables fleet, string? task = null)
    {
        using var http = fleet.Router.CreateClient(RouterServer.AdminKey);
        var from = FirstHour.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var to = FirstHour.AddHours(3).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var body = await http.GetStringAsync($"api/usage?from={from}&to={to}&groupBy=task" + (task is null ? string.Empty : "&task=" + task));
        // The answer says when it was computed; the figures are what must not change.
        return System.Text.RegularExpressions.Regex.Replace(body, "\"(generatedAt|asOf)\":\"[^\"]*\"", string.Empty);
    }
}
