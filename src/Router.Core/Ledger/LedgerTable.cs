using Azure;
using Azure.Data.Tables;

namespace Router.Core.Ledger;

/// <summary>
/// One table the ledger writes to, created on first use and again if it disappears (Azurite
/// restarted empty, a table deleted by hand), so storage being down at start or losing the
/// table never stops the writer. Counts every storage request it makes.
/// </summary>
internal sealed class LedgerTable(TableServiceClient service, string name)
{
    private readonly TableClient _client = service.GetTableClient(name);
    private bool _created;
    private long _requests;

    public string Name => name;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>One entity-group transaction; a missing table is created and the failure reported as transient so the caller retries.</summary>
    public async Task SubmitAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        if (!_created)
        {
            Interlocked.Increment(ref _requests);
            await _client.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _created = true;
        }

        try
        {
            Interlocked.Increment(ref _requests);
            await _client.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (IsTableNotFound(ex))
        {
            _created = false;
            throw;
        }
    }

    public static bool IsTableNotFound(RequestFailedException exception) =>
        exception.Status == 404 && (exception.ErrorCode == "TableNotFound" || exception.Message.Contains("TableNotFound", StringComparison.Ordinal));
}
