namespace Router.Core.Ledger.Fleet;

/// <summary>Rollup compaction (<c>Router:Ledger:Compaction</c>); see docs/ledger.md, "Compaction".</summary>
public sealed record CompactionOptions
{
    public const string SectionName = "Router:Ledger:Compaction";

    public const string DefaultSchedule = "0 */5 * * * *";

    /// <summary>Off: the timer does nothing and readers read instance rows (as before compaction existed).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>NCRONTAB schedule of the compaction timer; the timer reads it as <c>%Router:Ledger:Compaction:Schedule%</c>.</summary>
    public string Schedule { get; init; } = DefaultSchedule;

    /// <summary>An hour is closed, and compacted, this long after it ends (late flushes from every instance have landed).</summary>
    public TimeSpan ClosedAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Tasks compacted at once.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>
    /// Budgets read compaction's spend rows (two queries per refresh whatever the fleet's size) while the
    /// last run wrote them at most this long ago; older, a refresh reads the other instances' rows of the
    /// hours not compacted instead (which grows with the fleet). It caps how stale the other instances'
    /// spend can be: the overshoot bound is in docs/ledger.md, "Budgets at fleet scale". Keep it above the
    /// <see cref="Schedule"/> interval plus a run's duration.
    /// </summary>
    public TimeSpan SpendStaleAfter { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The standalone host's blob lease (one compactor at a time); renewed while a run lasts.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(60);
}
