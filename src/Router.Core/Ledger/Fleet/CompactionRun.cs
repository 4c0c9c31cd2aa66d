namespace Router.Core.Ledger.Fleet;

/// <summary>What one compaction run did (logged, returned to tests and the bench).</summary>
public sealed record CompactionRun(bool Ran, int Tasks, int HoursFolded, long InstanceRowsRead, long FleetRowsWritten, int MarkersCleared, DateTimeOffset CompactedBefore, int DaysFolded = 0)
{
    public static CompactionRun Skipped(DateTimeOffset before) => new(false, 0, 0, 0, 0, 0, before);
}
