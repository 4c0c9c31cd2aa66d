using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Router.Core.Background;
using Router.Core.Ledger;
using Router.Core.Security;
using Router.Core.Tests.Ledger;

namespace Router.Core.Tests.Security;

/// <summary>
/// Budgets across instances: what the other instances served today (read from the rollups)
/// counts with this instance's own spend, and refuses a client over its budget. The end-to-end
/// proof is ClientLimitsTests.Route_SpendOfOtherInstancesInRollups_CountsTowardsTheBudget.
/// </summary>
public sealed class ClientSpendTrackerTests
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SpentToday_OtherInstancesSpend_AddsToOwnSpend()
    {
        var time = new FakeTimeProvider(Morning);
        var others = new FixedSpend(new Dictionary<string, decimal> { ["caller-b"] = 6m, ["caller-a"] = 0.25m });
        var tracker = Tracker(others, time);

        await tracker.RefreshAsync(CancellationToken.None);
        tracker.Add(LedgerRecords.Call(Morning, "own-1", client: "caller-b", cost: 0.5m));

        Assert.Equal(6.5m, tracker.SpentToday("caller-b"));
        Assert.Equal(0.25m, tracker.SpentToday("caller-a"));
        Assert.Equal(0m, tracker.SpentToday("ops"));
        Assert.Equal([DateOnly.FromDateTime(Morning.UtcDateTime)], others.Days);
    }

    [Fact]
    public async Task SpentToday_CompactedFigureIncludesOwnEarlierHours_OwnShareCountedOnce()
    {
        // Compacted fleet spend covers every instance before 11:00, this one too: its own 0.5 + 0.25 of
        // 09:00 and 10:00 are in the 6.75, and counted locally as well, so the refresh takes them out.
        var time = new FakeTimeProvider(Morning);
        var tracker = Tracker(new FixedSpend(new Dictionary<string, decimal> { ["caller-b"] = 6.75m }, includesOwnBefore: Morning.AddHours(2)), time);
        tracker.Add(LedgerRecords.Call(Morning, "own-9", client: "caller-b", cost: 0.5m));
        tracker.Add(LedgerRecords.Call(Morning.AddHours(1), "own-10", client: "caller-b", cost: 0.25m));
        tracker.Add(LedgerRecords.Call(Morning.AddHours(2), "own-11", client: "caller-b", cost: 1m)); // after the compacted hours: not in the 6.75
        time.Advance(TimeSpan.FromHours(2.5));

        await tracker.RefreshAsync(CancellationToken.None);

        Assert.Equal(6.75m + 1m, tracker.SpentToday("caller-b"));
    }

    [Fact]
    public async Task SpentToday_FigureIncludesOwnOpenHoursShare_ThatShareTakenOutAndLaterOwnSpendCounted()
    {
        // The fleet figure 9 = compacted hours (6.75, own 0.75 in them) + open hours as compaction read them
        // (2.25, of which own 0.6: what this instance had flushed then). Since then it spent 0.4 more locally.
        var time = new FakeTimeProvider(Morning);
        var tracker = Tracker(new FixedSpend(new Dictionary<string, decimal> { ["caller-b"] = 9m }, includesOwnBefore: Morning.AddHours(2), ownIncludedSince: 0.6m), time);
        tracker.Add(LedgerRecords.Call(Morning, "own-9", client: "caller-b", cost: 0.5m));
        tracker.Add(LedgerRecords.Call(Morning.AddHours(1), "own-10", client: "caller-b", cost: 0.25m));
        tracker.Add(LedgerRecords.Call(Morning.AddHours(2), "own-11a", client: "caller-b", cost: 0.6m));
        tracker.Add(LedgerRecords.Call(Morning.AddHours(2), "own-11b", client: "caller-b", cost: 0.4m));
        time.Advance(TimeSpan.FromHours(2.5));

        await tracker.RefreshAsync(CancellationToken.None);

        // Others: 9 - 0.75 - 0.6 = 7.65; own: 1.75.
        Assert.Equal(7.65m + 1.75m, tracker.SpentToday("caller-b"));
    }

    [Fact]
    public async Task Admit_OtherInstancesAloneSpentTheBudget_RefusesWithBudgetExceeded()
    {
        var time = new FakeTimeProvider(Morning);
        var options = Auth(("caller-b", 5m), ("caller-a", 5m));
        var tracker = new ClientSpendTracker(new FixedSpend(new Dictionary<string, decimal> { ["caller-b"] = 6m }), time, options, new LoopRegistry(time, NullLoggerFactory.Instance));
        var admission = new ClientAdmission(options, tracker, time);

        await tracker.RefreshAsync(CancellationToken.None);
        var refused = admission.Admit(Client("caller-b"));
        var other = admission.Admit(Client("caller-a"));

        Assert.False(refused.Allowed);
        Assert.Equal("budget_exceeded", refused.Code);
        Assert.Equal(TimeSpan.FromHours(15), refused.RetryAfter);
        Assert.True(other.Allowed);
    }

    [Fact]
    public async Task SpentToday_NextUtcDay_YesterdaysOtherInstanceSpendNoLongerCounts()
    {
        var time = new FakeTimeProvider(Morning);
        var tracker = Tracker(new FixedSpend(new Dictionary<string, decimal> { ["caller-b"] = 6m }), time);
        await tracker.RefreshAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(0m, tracker.SpentToday("caller-b"));
    }

    private static ClientSpendTracker Tracker(ISpendSource others, TimeProvider time) =>
        new(others, time, Auth(("caller-b", 5m)), new LoopRegistry(time, NullLoggerFactory.Instance));

    private static IOptions<AuthOptions> Auth(params (string Name, decimal Budget)[] clients)
    {
        var options = new AuthOptions();
        foreach (var (name, budget) in clients)
        {
            options.Clients.Add(new ClientKeyOptions { Name = name, KeySha256 = new string('0', 64), DailyBudgetUsd = budget });
        }

        return Options.Create(options);
    }

    private static ClientIdentity Client(string name) => new(name, new HashSet<string> { ClientRoles.Caller });

    /// <summary>The other instances' spend as the rollups would report it; records which days were asked for.</summary>
    private sealed class FixedSpend(IReadOnlyDictionary<string, decimal> spend, DateTimeOffset? includesOwnBefore = null, decimal ownIncludedSince = 0) : ISpendSource
    {
        public List<DateOnly> Days { get; } = [];

        public Task<OtherSpend> OtherInstancesSpendAsync(DateOnly day, CancellationToken cancellationToken)
        {
            Days.Add(day);
            return Task.FromResult(new OtherSpend(spend.ToDictionary(s => s.Key, s => new ClientSpend(s.Value, includesOwnBefore, ownIncludedSince))));
        }
    }
}
