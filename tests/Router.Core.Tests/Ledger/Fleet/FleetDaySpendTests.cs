using Router.Core.Ledger.Fleet;

namespace Router.Core.Tests.Ledger.Fleet;

/// <summary>
/// Which spend row a budget refresh uses per client (compaction writes an instance's own copies before the
/// shared rows; a refresh reads the shared rows first): the own copy when it is from the shared row's run or
/// a later one, else the shared row with no own share, since that run saw none of this instance's spend.
/// </summary>
public sealed class FleetDaySpendTests
{
    private static readonly DateTimeOffset Through = new(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Run1 = Through.AddMinutes(15);
    private static readonly DateTimeOffset Run2 = Run1.AddMinutes(5);

    [Fact]
    public void ByClient_OwnCopyOfTheSameRun_OwnCopyWithItsShare()
    {
        var spend = Spend([Row("caller-a", Run1, own: 0)], [Row("caller-a", Run1, own: 40)]);

        Assert.Equal(40, Assert.Single(spend.ByClient()).OwnOpenNanoUsd);
    }

    [Fact]
    public void ByClient_OwnCopyOfALaterRun_TheLaterCopyWhole()
    {
        // A run wrote the copy between the refresh's two reads: the copy is self-consistent, the shared row older.
        var spend = Spend([Row("caller-a", Run1, own: 0, open: 100)], [Row("caller-a", Run2, own: 40, open: 130)]);

        var row = Assert.Single(spend.ByClient());
        Assert.Equal((Run2, 130L, 40L), (row.AsOf, row.OpenNanoUsd, row.OwnOpenNanoUsd));
    }

    [Fact]
    public void ByClient_OwnCopyOfAnEarlierRun_SharedRowWithNoOwnShare()
    {
        // The newer run did not rewrite this instance's copy: it saw none of its spend in the open hours.
        var spend = Spend([Row("caller-a", Run2, own: 0, open: 130)], [Row("caller-a", Run1, own: 40, open: 100)]);

        var row = Assert.Single(spend.ByClient());
        Assert.Equal((Run2, 130L, 0L), (row.AsOf, row.OpenNanoUsd, row.OwnOpenNanoUsd));
    }

    [Fact]
    public void ByClient_ClientOnlyInTheOwnCopy_OwnCopyUsed()
    {
        var spend = Spend([Row("caller-a", Run1, own: 0)], [Row("caller-b", Run1, own: 7)]);

        Assert.Equal(["caller-a:0", "caller-b:7"], spend.ByClient().Select(r => $"{r.Client}:{r.OwnOpenNanoUsd}").Order(StringComparer.Ordinal));
    }

    private static DaySpend Row(string client, DateTimeOffset asOf, long own, long open = 100) => new(client, 1_000, open, own, Through, asOf);

    private static FleetDaySpend Spend(DaySpend[] shared, DaySpend[] own) =>
        new(new DaySpend(string.Empty, 0, 0, 0, Through, shared[0].AsOf), shared.ToDictionary(s => s.Client), own.ToDictionary(s => s.Client));
}
