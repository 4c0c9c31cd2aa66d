using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Router.Core.Ledger;
using Router.Core.Ledger.Journal;

namespace Router.Core.Tests.Ledger.Journal;

/// <summary>
/// The journal on a real disk (a folder of its own per test): records come back as written, a torn
/// or damaged tail ends what is read and is counted, a full journal refuses without throwing, and
/// acknowledged segments are deleted.
/// </summary>
public sealed class CallJournalTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "router-journal-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Append_ThenRead_GivesBackEveryRecordWithItsSequence()
    {
        var records = Enumerable.Range(0, 5).Select(i => LedgerRecords.Call(Noon.AddSeconds(i), "c" + i, cost: 0.001m * i)).ToList();
        long[] seqs;
        using (var journal = Open())
        {
            seqs = records.Select(journal.Append).ToArray();
        }

        var read = JournalFrame.ReadAll(File.ReadAllBytes(Assert.Single(Segments())), out var unreadable, out var undecodable);

        Assert.Equal(seqs, read.Select(e => e.Seq));
        Assert.Equal(records, read.Select(e => e.Record));
        Assert.Equal((0, 0), (unreadable, undecodable));
        Assert.True(seqs.Zip(seqs.Skip(1)).All(p => p.Second == p.First + 1));
    }

    [Fact]
    public void ReadAll_TailCutMidRecord_ReadsTheRecordsBeforeIt()
    {
        using (var journal = Open())
        {
            for (var i = 0; i < 3; i++)
            {
                journal.Append(LedgerRecords.Call(Noon, "c" + i));
            }
        }

        var segment = Assert.Single(Segments());
        var bytes = File.ReadAllBytes(segment);
        var cut = bytes[..^20];

        var read = JournalFrame.ReadAll(cut, out var unreadable, out _);

        Assert.Equal(["c0", "c1"], read.Select(e => e.Record.CallId));
        Assert.Equal(bytes.Length / 3 - 20, unreadable);
    }

    [Fact]
    public void ReadAll_DamagedByte_StopsAtTheDamagedRecord()
    {
        using (var journal = Open())
        {
            for (var i = 0; i < 3; i++)
            {
                journal.Append(LedgerRecords.Call(Noon, "c" + i));
            }
        }

        var bytes = File.ReadAllBytes(Assert.Single(Segments()));
        bytes[(bytes.Length / 3) + JournalFrame.HeaderBytes + 20] ^= 0xFF; // inside the second record's payload

        var read = JournalFrame.ReadAll(bytes, out var unreadable, out _);

        Assert.Equal(["c0"], read.Select(e => e.Record.CallId));
        Assert.Equal(bytes.Length - (bytes.Length / 3), unreadable);
    }

    [Fact]
    public void Append_JournalFull_ReturnsZeroAndCountsWithoutThrowing()
    {
        using var journal = Open(new JournalOptions { SegmentBytes = 64 * 1024, MaxBytes = 128 * 1024 });

        var seqs = Enumerable.Range(0, 1_000).Select(i => journal.Append(LedgerRecords.Call(Noon, "c" + i))).ToList();

        var kept = seqs.Count(s => s > 0);
        Assert.InRange(kept, 100, 999);
        Assert.All(seqs.Skip(kept), s => Assert.Equal(0, s)); // once full, nothing more until acknowledged
        Assert.Equal(1_000 - kept, journal.Full);
        Assert.Equal(kept, journal.Appended);
    }

    [Fact]
    public void Acknowledge_CoversClosedSegments_DeletesThemAndMakesRoom()
    {
        using var journal = Open(new JournalOptions { SegmentBytes = 64 * 1024, MaxBytes = 128 * 1024 });
        var seqs = new List<long>();
        for (var i = 0; journal.Full == 0; i++)
        {
            seqs.Add(journal.Append(LedgerRecords.Call(Noon, "c" + i)));
        }

        var before = Segments().Count;
        journal.Acknowledge(seqs.Where(s => s > 0).Max());

        Assert.True(before >= 2);
        Assert.Single(Segments()); // the open one stays
        Assert.True(journal.Append(LedgerRecords.Call(Noon, "after")) > 0);
    }

    [Fact]
    public void Dispose_EverythingAcknowledged_DeletesTheJournalsFiles()
    {
        var journal = Open();
        var seq = journal.Append(LedgerRecords.Call(Noon, "c0"));
        journal.Acknowledge(seq);

        journal.Dispose();

        Assert.Empty(Directory.EnumerateFiles(_folder));
    }

    [Fact]
    public void Dispose_RecordsNotAcknowledged_LeavesThemForTheReplay()
    {
        var journal = Open();
        journal.Append(LedgerRecords.Call(Noon, "c0"));

        journal.Dispose();

        Assert.Single(Segments());
        var orphan = Assert.Single(OrphanJournal.Claim(_folder, "someone-else"));
        using (orphan)
        {
            Assert.Equal("unit", orphan.Instance);
        }
    }

    [Fact]
    public void Claim_JournalOfALiveProcess_IsLeftAlone()
    {
        using var live = Open();
        live.Append(LedgerRecords.Call(Noon, "c0"));

        Assert.Empty(OrphanJournal.Claim(_folder, "someone-else"));
    }

    private CallJournal Open(JournalOptions? options = null) =>
        CallJournal.Open(options ?? new JournalOptions(), _folder, new RouterInstance("unit"), new FakeTimeProvider(Noon), NullLogger.Instance);

    private List<string> Segments() => Directory.EnumerateFiles(_folder, "*.seg").ToList();
}
