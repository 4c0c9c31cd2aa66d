namespace Router.Core.Ledger;

/// <summary>Running absolute totals of one rollup row of this instance; mutable, owned by <see cref="RollupAggregator"/>.</summary>
internal sealed class RollupAccumulator
{
    private readonly RollupTotals _totals = new();
    private string? _promptVersion;

    /// <summary>Changed since the last snapshot was taken for writing.</summary>
    public bool Dirty { get; set; }

    /// <summary>The journal sequence number up to which the row holds every record of its key (see <see cref="RollupRecord.JournalSeq"/>).</summary>
    public long JournalSeq { get; private set; }

    public void Add(CallRecord record)
    {
        _totals.Add(record);
        _promptVersion = record.PromptVersion;
        Dirty = true;
    }

    /// <summary>Starts from a row already stored (the journal replay continues it).</summary>
    public void Seed(RollupRecord stored)
    {
        _totals.Add(stored);
        _promptVersion = stored.PromptVersion;
        JournalSeq = stored.JournalSeq;
    }

    public RollupRecord Snapshot(RollupKey key, string instance, long journalSeq)
    {
        JournalSeq = Math.Max(JournalSeq, journalSeq);
        return _totals.ToRecord(key, instance, _promptVersion) with { JournalSeq = JournalSeq };
    }
}
