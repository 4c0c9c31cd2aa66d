using System.Collections.Concurrent;
using Router.Core.Ledger;

namespace Router.Core.Tests.Routing;

/// <summary>An <see cref="ICallLedger"/> that keeps every record it is given, in order.</summary>
internal sealed class CapturingLedger : ICallLedger
{
    private readonly ConcurrentQueue<CallRecord> _records = new();

    public IReadOnlyList<CallRecord> Records => [.. _records];

    public int QueueDepth => 0;

    public TimeSpan? OldestPendingAge => null;

    public long Dropped => 0;

    public long Rejected => 0;

    public long Written => _records.Count;

    public long StorageRequests => 0;

    public string InstanceId => "test";

    public bool Enqueue(CallRecord record)
    {
        _records.Enqueue(record);
        return true;
    }
}
