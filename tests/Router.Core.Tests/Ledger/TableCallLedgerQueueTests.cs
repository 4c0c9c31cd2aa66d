using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Router.Core.Background;
using Router.Core.Ledger;
using Router.Core.Ledger.Journal;

namespace Router.Core.Tests.Ledger;

/// <summary>
/// The request path's side of the ledger: enqueueing never waits, a full queue refuses and
/// counts instead of blocking, and the age of the oldest waiting record follows the clock (which
/// storage errors are retried for ever versus rejected: TransientFailureTests). The writer loop itself is proven against
/// Azurite (TableCallLedgerStopTests, LedgerOutageTests); it is not started here, so nothing
/// reaches storage.
/// </summary>
public sealed class TableCallLedgerQueueTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Enqueue_WithinCapacity_KeepsEveryRecordPending()
    {
        using var ledger = Ledger(new FakeTimeProvider(Noon), capacity: 3);

        var accepted = Enumerable.Range(0, 3).Select(i => ledger.Enqueue(LedgerRecords.Call(Noon, "c" + i))).ToList();

        Assert.All(accepted, Assert.True);
        Assert.Equal(3, ledger.QueueDepth);
        Assert.Equal(0, ledger.Dropped);
        Assert.Equal(0, ledger.Written);
    }

    [Fact]
    public void Enqueue_QueueFull_RefusesWithoutWaitingAndCountsTheDrop()
    {
        using var ledger = Ledger(new FakeTimeProvider(Noon), capacity: 2);
        ledger.Enqueue(LedgerRecords.Call(Noon, "c1"));
        ledger.Enqueue(LedgerRecords.Call(Noon, "c2"));

        var third = ledger.Enqueue(LedgerRecords.Call(Noon, "c3"));
        var fourth = ledger.Enqueue(LedgerRecords.Call(Noon, "c4"));

        Assert.False(third);
        Assert.False(fourth);
        Assert.Equal(2, ledger.Dropped);
        Assert.Equal(2, ledger.QueueDepth);
    }

    [Fact]
    public void OldestPendingAge_RecordsWaiting_IsTheAgeOfTheFirstQueuedOnTheClock()
    {
        var time = new FakeTimeProvider(Noon);
        using var ledger = Ledger(time, capacity: 10);
        var before = ledger.OldestPendingAge;

        ledger.Enqueue(LedgerRecords.Call(Noon - TimeSpan.FromSeconds(3), "old"));
        ledger.Enqueue(LedgerRecords.Call(Noon - TimeSpan.FromSeconds(1), "new"));
        var now = ledger.OldestPendingAge;
        time.Advance(TimeSpan.FromSeconds(2));
        var later = ledger.OldestPendingAge;

        Assert.Null(before);
        Assert.Equal(TimeSpan.FromSeconds(3), now);
        Assert.Equal(TimeSpan.FromSeconds(5), later);
    }

    private static TableCallLedger Ledger(TimeProvider time, int capacity) => new(
        // Never contacted: the writer loop is not started.
        new TableServiceClient("UseDevelopmentStorage=true"),
        Options.Create(new LedgerOptions { QueueCapacity = capacity }),
        Options.Create(new StorageOptions()),
        Options.Create(new JournalOptions { Enabled = false }),
        CallJournal.Open(new JournalOptions { Enabled = false }, string.Empty, new RouterInstance("unit"), time, NullLogger.Instance),
        new RollupStore(new TableServiceClient("UseDevelopmentStorage=true"), Options.Create(new StorageOptions())),
        new Router.Core.Evaluation.ShadowEvidenceReader(new TableServiceClient("UseDevelopmentStorage=true"), Options.Create(new StorageOptions())),
        new RouterInstance("unit"),
        new LoopRegistry(time, NullLoggerFactory.Instance),
        time,
        NullLogger<TableCallLedger>.Instance);
}
