namespace Router.Core.Ledger.Journal;

/// <summary>
/// The local journal under the ledger (<c>Router:Ledger:Journal</c>): every served call's record is
/// appended to a segment file before it enters the in-memory queue, so a process that dies
/// (SIGKILL, out of memory, a host crash) loses none of the calls it answered; the next start replays them.
/// </summary>
public sealed class JournalOptions
{
    public const string SectionName = "Router:Ledger:Journal";

    /// <summary>Off: records live in memory only until written (a process crash loses the queue).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Folder of the segment files. Empty: <c>{temp}/router-journal/{storage}</c>, where {storage}
    /// names the storage account and tables (so a journal is only ever replayed into the tables it
    /// was written for). On Azure that is the instance's local temp disk.
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>A segment is closed and a new one begun past this size; closed, fully committed segments are deleted.</summary>
    public long SegmentBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The most the journal holds (unacknowledged records). When full, records are still served and
    /// queued but not journaled: counted (<c>journal.full</c>) and warned about, never blocking a caller.
    /// </summary>
    public long MaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Records older than this are not replayed at start (counted as expired): a journal left behind for weeks is history, not a backlog.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Zero (default): each record is written to the operating system (it survives the process) but
    /// never forced to disk, so a machine crash or power loss can lose what the kernel had not yet
    /// written back (typically the last few seconds). Positive: the open segment is also flushed to
    /// disk (fsync) this often, bounding that loss to the interval, at the cost of one disk flush per interval.
    /// </summary>
    public TimeSpan DiskFlushInterval { get; set; } = TimeSpan.Zero;
}
