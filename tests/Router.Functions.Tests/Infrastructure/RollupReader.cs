using Azure.Data.Tables;
using Router.Core.Ledger;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>Reads RouterRollups back from Azurite, as a usage reader would (every instance's rows).</summary>
internal sealed class RollupReader(string connectionString, string table = "RouterRollups")
{
    private readonly TableClient _rollups = new TableServiceClient(connectionString).GetTableClient(table);

    public async Task<List<RollupRecord>> AllAsync()
    {
        var rows = new List<RollupRecord>();
        try
        {
            // Compaction markers (~dirty-...) share the partitions; they are not rollups.
            await foreach (var entity in _rollups.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey lt {"~"}")))
            {
                rows.Add(RollupEntity.FromEntity(entity));
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
        }

        return rows;
    }

    /// <summary>Polls until the rollups' calls add up to <paramref name="expected"/> (rollups are flushed on their own interval) and returns the rows.</summary>
    public async Task<List<RollupRecord>> WaitForCallsAsync(long expected, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(20));
        var rows = await AllAsync();
        while (rows.Sum(r => r.Calls) < expected && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(50);
            rows = await AllAsync();
        }

        return rows;
    }
}
