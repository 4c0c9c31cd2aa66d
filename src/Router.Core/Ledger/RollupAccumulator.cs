namespace Router.Core.Ledger;

/// <summary>Running absolute totals of one rollup row of this instance; mutable, owned by <see cref="RollupAggregator"/>.</summary>
internal sealed class RollupAccumulator
{
    private readonly RollupTotals _totals = new();
    private string? _promptVersion;

    /// <summary>Changed since the last snapshot was taken for writing.</summary>
    public bool Dirty { get; set; }

    public void Add(CallRecord record)
    {
        _totals.Add(record);
        _promptVersion = record.PromptVersion;
        Dirty = true;
    }

    public RollupRecord Snapshot(RollupKey key, string instance) => _totals.ToRecord(key, instance, _promptVersion);
}
