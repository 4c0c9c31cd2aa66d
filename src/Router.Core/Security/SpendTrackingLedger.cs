using Router.Core.Ledger;

namespace Router.Core.Security;

/// <summary>Every recorded call passes through here on its way to the ledger, so budgets see exactly what is billed.</summary>
public sealed class SpendTrackingLedger(ICallLedger inner, ClientSpendTracker spend) : ICallLedger
{
    public int QueueDepth => inner.QueueDepth;

    public TimeSpan? OldestPendingAge => inner.OldestPendingAge;

    public long Dropped => inner.Dropped;

    public bool Enqueue(CallRecord record)
    {
        spend.Add(record);
        return inner.Enqueue(record);
    }
}
