namespace Router.Core.Ledger;

/// <summary>Takes call records off the request path. Enqueue never blocks and never throws.</summary>
public interface ICallLedger : ILedgerQueueStatus
{
    /// <summary>Returns false when the record could not be kept (queue full); the loss is counted and logged.</summary>
    bool Enqueue(CallRecord record);
}
