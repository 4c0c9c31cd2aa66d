using Router.Core.Ledger;

namespace Router.Core.Evaluation;

/// <summary>
/// This instance's RouterShadowRollups rows as absolute totals per task, hour and candidate, fed by
/// the ledger writer with shadow records already committed to RouterCalls and written whole
/// (UpsertReplace), like <see cref="RollupAggregator"/>: a retried write never counts a call twice.
/// Used by the single ledger writer only: not thread-safe.
/// </summary>
public sealed class ShadowRollupAggregator(string instance)
{
    private readonly Dictionary<ShadowRollupKey, Row> _rows = [];

    public string Instance { get; } = instance;

    public int Count => _rows.Count;

    public bool HasDirty => _rows.Values.Any(r => r.Dirty);

    public void Add(CallRecord record)
    {
        var key = ShadowRollupKey.Of(record);
        if (!_rows.TryGetValue(key, out var row))
        {
            row = new Row(record.Model);
            _rows.Add(key, row);
        }

        if (record.Shadow?.Judge != true)
        {
            row.Model = record.Model; // the candidate's model, not its judge's
        }

        row.Totals.Add(record);
        row.Dirty = true;
    }

    /// <summary>
    /// Continues a row already stored (a restarted instance with a configured name): its totals become
    /// the starting point. A row already held in memory is kept as it is.
    /// </summary>
    public void Seed(ShadowRollupRecord stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var key = new ShadowRollupKey(stored.Task, stored.Hour, stored.Candidate);
        if (!_rows.ContainsKey(key))
        {
            var row = new Row(stored.Model);
            row.Totals.Add(stored);
            _rows.Add(key, row);
        }
    }

    public IReadOnlyList<ShadowRollupRecord> TakeDirty()
    {
        var dirty = new List<ShadowRollupRecord>();
        foreach (var (key, row) in _rows)
        {
            if (row.Dirty)
            {
                dirty.Add(row.Totals.ToRecord(key, Instance, row.Model));
                row.Dirty = false;
            }
        }

        return dirty;
    }

    public void MarkDirty(IEnumerable<ShadowRollupRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            if (_rows.TryGetValue(new ShadowRollupKey(row.Task, row.Hour, row.Candidate), out var accumulator))
            {
                accumulator.Dirty = true;
            }
        }
    }

    /// <summary>Same retention rule as <see cref="RollupAggregator.Evict"/>.</summary>
    public int Evict(DateTimeOffset oldestUnwritten)
    {
        var stale = _rows.Where(r => !r.Value.Dirty && r.Key.Hour + TimeSpan.FromHours(1) + RollupAggregator.RetainAfterHourEnd <= oldestUnwritten).Select(r => r.Key).ToList();
        foreach (var key in stale)
        {
            _rows.Remove(key);
        }

        return stale.Count;
    }

    private sealed class Row(string model)
    {
        public string Model { get; set; } = model;

        public ShadowRollupTotals Totals { get; } = new();

        public bool Dirty { get; set; }
    }
}
