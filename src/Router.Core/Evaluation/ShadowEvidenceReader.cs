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
    public async Task<IReadOnlyList<CandidateEvidence>> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? task, CancellationToken cancellationToken)
    {
        var rows = new List<ShadowRollupRecord>();
        var filter = TableClient.CreateQueryFilter($"RowKey ge {RollupEntity.HourPrefix(from)} and RowKey lt {RollupEntity.HourPrefix(to)}");
        if (task is not null)
        {
            filter = "(" + filter + ") and (" + TableClient.CreateQueryFilter($"PartitionKey eq {task}") + ")";
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

        return Aggregate(rows, from, to);
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
