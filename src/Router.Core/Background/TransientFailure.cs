using Azure;
using Router.Core.Ledger;

namespace Router.Core.Background;

/// <summary>
/// The one rule for background work: what is worth trying again. Everything is, except the
/// host's own shutdown (a cancellation of the token the loop was given) and the failures that
/// would fail the same way every time: storage refusing a request for good (a 4xx other than
/// 408/429 or a lost table) and our own bad arguments. A timeout (the Table client's network
/// timeout surfaces as <see cref="TaskCanceledException"/>), a reset connection or a 5xx is transient.
/// </summary>
public static class TransientFailure
{
    public static bool IsTransient(Exception exception, CancellationToken stopping) => exception switch
    {
        OperationCanceledException => !stopping.IsCancellationRequested,
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        RequestFailedException failed => LedgerTable.IsTableNotFound(failed),
        AggregateException aggregate => aggregate.InnerExceptions.All(e => IsTransient(e, stopping)),
        ArgumentException => false,
        _ => true,
    };

    /// <summary>True when <paramref name="exception"/> is the host stopping the loop, the one way a loop may end.</summary>
    public static bool IsShutdown(Exception exception, CancellationToken stopping) =>
        exception is OperationCanceledException && stopping.IsCancellationRequested;
}
