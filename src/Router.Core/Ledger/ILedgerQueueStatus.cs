namespace Router.Core.Ledger;

/// <summary>
/// What health reads of the ledger's backlog: read-only, never blocking, never touching storage,
/// so /api/health can report it while storage hangs. Whatever writes the ledger implements it.
/// </summary>
public interface ILedgerQueueStatus
{
    /// <summary>Records waiting to be written.</summary>
    int QueueDepth { get; }

    /// <summary>Age of the oldest record not yet written, or null when all are written.</summary>
    TimeSpan? OldestPendingAge { get; }

    /// <summary>Records that were lost because the queue was full.</summary>
    long Dropped { get; }

    /// <summary>Records storage refused with a non-transient error; counted and logged, not retried.</summary>
    long Rejected { get; }

    /// <summary>Records committed to storage since start.</summary>
    long Written { get; }

    /// <summary>Storage requests made since start; with <see cref="Written"/> it gives requests per call.</summary>
    long StorageRequests { get; }

    /// <summary>The name this instance writes its rollup rows under.</summary>
    string InstanceId { get; }

    /// <summary>Records served and queued but not journaled (journal full or the disk failed): a crash now would lose them.</summary>
    long NotJournaled => 0;

    /// <summary>Records replayed at start from the journals of processes that died before writing them.</summary>
    long Replayed => 0;
}
