using Azure.Data.Tables;
using Router.Core.Ledger;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>Reads RouterCalls back from Azurite with Azure.Data.Tables, as an operator would.</summary>
internal sealed class LedgerReader(string connectionString, string table = "RouterCalls")
{
    private readonly TableClient _calls = new TableServiceClient(connectionString).GetTableClient(table);

    public async Task<List<CallRecord>> WaitForRequestAsync(string requestId, int expected = 1, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(15));
        List<CallRecord> rows = [];
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            rows = await ByRequestAsync(requestId);
            if (rows.Count >= expected)
            {
                return rows;
            }

            await Task.Delay(50);
        }

        return rows;
    }

    public async Task<List<CallRecord>> ByRequestAsync(string requestId)
    {
        var rows = new List<CallRecord>();
        try
        {
            await foreach (var entity in _calls.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RequestId eq {requestId}")))
            {
                rows.Add(CallRecordEntity.FromEntity(entity));
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // The table appears with the first write.
        }

        return rows;
    }

    public async Task<List<CallRecord>> AllAsync()
    {
        var rows = new List<CallRecord>();
        try
        {
            await foreach (var entity in _calls.QueryAsync<TableEntity>())
            {
                rows.Add(CallRecordEntity.FromEntity(entity));
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
        }

        return rows;
    }
}
