using Router.Core.Ledger;

namespace Router.Core.Security;

/// <summary>Every recorded call passes through here on its way to the ledger, so budgets see exactly what is billed.</summary>
public sealed class SpendTrackingLedger(ICallLedger inner, ClientSpendTracker spend) : ICallLedger
{
    public int QueueDepth => inner.QueueDepth;

    public TimeSpan? OldestPendingAge => inner.OldestPendingAge;

    public long Dropped => inner.Dropped;

    public long Rejected => inner.Rejected;

    public long Written => inner.Written;

    public long StorageRequests => inner.StorageRequests;

    public string InstanceId => inner.InstanceId;

    public long NotJournaled => inner.NotJournaled;

    public long Replayed => inner.Replayed;

    public bool Enqueue(CallRecord record)
    {
        // Shadow calls are the router's evaluation spend, never the caller's.
        if (record.Status != CallStatus.Shadow)
        {
            spend.Add(record);
        }

        return inner.Enqueue(record);
    }
}
