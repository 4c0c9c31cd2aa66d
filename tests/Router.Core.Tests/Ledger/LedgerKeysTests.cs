using Router.Core.Ledger;

namespace Router.Core.Tests.Ledger;

public sealed class LedgerKeysTests
{
    [Fact]
    public void CallPartition_IsDayTaskShard()
    {
        var at = new DateTimeOffset(2026, 11, 29, 23, 59, 0, TimeSpan.FromHours(-5)); // 2026-11-30 04:59 UTC

        var partition = LedgerKeys.CallPartition(at, "summarize", "abc", 4);

        Assert.Matches("^20261130-summarize-0[0-3]$", partition);
    }

    [Fact]
    public void CallRow_NewerCallsSortFirst_AndSameCallGivesSameKey()
    {
        var earlier = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var later = earlier.AddMilliseconds(1);

        Assert.True(string.CompareOrdinal(LedgerKeys.CallRow(later, "b"), LedgerKeys.CallRow(earlier, "a")) < 0);
        Assert.Equal(LedgerKeys.CallRow(earlier, "a"), LedgerKeys.CallRow(earlier, "a"));
    }

    [Fact]
    public void Shard_SpreadsCallsOverAllShards()
    {
        var shards = Enumerable.Range(0, 400).Select(i => LedgerKeys.Shard($"call-{i}", 4)).ToHashSet();

        Assert.Equal([0, 1, 2, 3], shards.Order());
    }
}
