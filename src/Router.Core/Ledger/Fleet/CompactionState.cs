namespace Router.Core.Ledger.Fleet;

/// <summary>
/// How far compaction has reached one task: every hour before <paramref name="CompactedBefore"/> is in the
/// fleet hour rows, every day before <paramref name="DaysBefore"/> in the day rows (null: no day folded yet),
/// except hours (and their days) that carry a marker.
/// </summary>
public sealed record CompactionState(DateTimeOffset CompactedBefore, DateTimeOffset? DaysBefore);
