using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Router.Core.Ledger;

namespace Router.Core.Evaluation;

/// <summary>
/// Reads RouterShadowRollups (never raw calls) and adds every instance's rows up per task and
/// candidate: the evidence behind switch-prompt, promote and rollback.
/// </summary>
public sealed class ShadowEvidenceReader(TableServiceClient service, IOptions<StorageOptions> storage)
{
    private readonly TableClient _table = service.GetTableClient(storage.Value.ShadowRollupsTable);

    /// <summary>Evidence per task and candidate for the hours in [<paramref name="from"/>, <paramref name="to"/>), optionally one task only.</summary>
    public async Task<IReadOnlyList<CandidateEvidence>> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? task, CancellationToken cancellationToken) =>
        Aggregate(await ReadRowsAsync(from, to, task, instance: null, cancellationToken).ConfigureAwait(false), from, to);

    /// <summary>The stored rows for the hours in [<paramref name="from"/>, <paramref name="to"/>), optionally of one task or one instance only.</summary>
    public async Task<IReadOnlyList<ShadowRollupRecord>> ReadRowsAsync(DateTimeOffset from, DateTimeOffset to, string? task, string? instance, CancellationToken cancellationToken)
    {
        var rows = new List<ShadowRollupRecord>();
        var filter = TableClient.CreateQueryFilter($"RowKey ge {RollupEntity.HourPrefix(from)} and RowKey lt {RollupEntity.HourPrefix(to)}");
        if (task is not null)
        {
            filter = "(" + filter + ") and (" + TableClient.CreateQueryFilter($"PartitionKey eq {task}") + ")";
        }

        if (instance is not null)
        {
            filter = "(" + filter + ") and (" + TableClient.CreateQueryFilter($"Instance eq {instance}") + ")";
        }

        try
        {
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(ShadowRollupEntity.FromEntity(entity));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No shadow call has been rolled up yet: the table appears with the first one.
        }

        return rows;
    }

    /// <summary>Pure: rows of any instance and hour, added up per task and candidate (sorted by task, then candidate).</summary>
    public static IReadOnlyList<CandidateEvidence> Aggregate(IEnumerable<ShadowRollupRecord> rows, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var groups = new SortedDictionary<(string Task, string Candidate), (string Model, ShadowRollupTotals Totals)>();
        foreach (var row in rows)
        {
            if (row.Hour < from || row.Hour >= to)
            {
                continue;
            }

            if (!groups.TryGetValue((row.Task, row.Candidate), out var group))
            {
                group = (row.Model, new ShadowRollupTotals());
                groups.Add((row.Task, row.Candidate), group);
            }

            group.Totals.Add(row);
        }

        return groups.Select(g => CandidateEvidence.From(g.Key.Task, g.Key.Candidate, g.Value.Model, g.Value.Totals)).ToList();
    }
}
