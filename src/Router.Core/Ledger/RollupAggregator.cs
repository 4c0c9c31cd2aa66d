namespace Router.Core.Ledger;

/// <summary>
/// This instance's RouterRollups rows, kept in memory as absolute totals per task, hour, route,
/// model and client. Only records already committed to RouterCalls are added, and rows are
/// written whole (UpsertReplace), so a retried rollup write can never count a call twice.
/// Used by the single ledger writer only: not thread-safe.
/// </summary>
public sealed class RollupAggregator(string instance)
{
    /// <summary>
    /// A finished hour is forgotten only when it ended this long before the oldest record still
    /// waiting to be written: a later record for a forgotten hour would start that row from zero
    /// and overwrite the totals already stored.
    /// </summary>
    public static readonly TimeSpan RetainAfterHourEnd = TimeSpan.FromHours(2);

    private readonly Dictionary<RollupKey, RollupAccumulator> _rows = [];

    public string Instance { get; } = instance;

    /// <summary>Rows held in memory (for tests and the memory soak).</summary>
    public int Count => _rows.Count;

    public bool HasDirty => _rows.Values.Any(r => r.Dirty);

    public void Add(CallRecord record)
    {
        var key = RollupKey.Of(record);
        if (!_rows.TryGetValue(key, out var row))
        {
            row = new RollupAccumulator();
            _rows.Add(key, row);
        }

        row.Add(record);
    }

    /// <summary>
    /// Continues a row already stored (the journal replay of a dead process): its totals become the
    /// starting point. A row already held in memory is kept as it is (it started from the stored row, or was never stored).
    /// </summary>
    public void Seed(RollupRecord stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var key = new RollupKey(stored.Task, stored.Hour, stored.Route, stored.Model, stored.Client);
        if (!_rows.ContainsKey(key))
        {
            var row = new RollupAccumulator();
            row.Seed(stored);
            _rows.Add(key, row);
        }
    }

    /// <summary>Whether the row of the record's key already holds the journal record <paramref name="seq"/>.</summary>
    public bool Holds(CallRecord record, long seq) => _rows.TryGetValue(RollupKey.Of(record), out var row) && seq <= row.JournalSeq;

    /// <summary>
    /// Absolute totals of every row changed since the last call, marked clean; hand them back with
    /// <see cref="MarkDirty"/> if writing fails. <paramref name="journalSeq"/>: every journal record up
    /// to it is in these totals (stamped on the rows, see <see cref="RollupRecord.JournalSeq"/>).
    /// </summary>
    public IReadOnlyList<RollupRecord> TakeDirty(long journalSeq = 0)
    {
        var dirty = new List<RollupRecord>();
        foreach (var (key, row) in _rows)
        {
            if (row.Dirty)
            {
                dirty.Add(row.Snapshot(key, Instance, journalSeq));
                row.Dirty = false;
            }
        }

        return dirty;
    }

    /// <summary>Rows whose write did not happen: write them again next time.</summary>
    public void MarkDirty(IEnumerable<RollupRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            if (_rows.TryGetValue(new RollupKey(row.Task, row.Hour, row.Route, row.Model, row.Client), out var accumulator))
            {
                accumulator.Dirty = true;
            }
        }
    }

    /// <summary>Forgets written rows of hours that ended <see cref="RetainAfterHourEnd"/> before <paramref name="oldestUnwritten"/>.</summary>
    public int Evict(DateTimeOffset oldestUnwritten)
    {
        var stale = _rows.Where(r => !r.Value.Dirty && r.Key.Hour + TimeSpan.FromHours(1) + RetainAfterHourEnd <= oldestUnwritten).Select(r => r.Key).ToList();
        foreach (var key in stale)
        {
            _rows.Remove(key);
        }

        return stale.Count;
    }
}
