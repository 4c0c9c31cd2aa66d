namespace Router.Core.Ledger;

/// <summary>Takes call records off the request path. Enqueue never blocks and never throws.</summary>
public interface ICallLedger
{
    /// <summary>Returns false when the record could not be kept (queue full); the loss is counted and logged.</summary>
    bool Enqueue(CallRecord record);

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
}
