using Azure;
using Azure.Data.Tables;
using Polly;
using Router.Core.Background;

namespace Router.Core.Ledger.Writer;

/// <summary>
/// The commit step shared by every background table writer (call rows, rollup rows, shadow rollup
/// rows, training samples): items grouped by partition, written as entity-group transactions of at
/// most 100 entities through the writer's retry pipeline (<see cref="StorageRetry"/>); a success is
/// reported to the loop monitor. A non-transient failure that names its entity takes that item out
/// (<c>rejected</c>) and commits the rest; any other non-transient failure rejects the batch. Each
/// pass removes at least one item, so it ends. The table is created on first use and again when it
/// disappears (<see cref="LedgerTable"/>).
/// </summary>
internal sealed class TableBatchCommitter(LedgerTable table, ResiliencePipeline retry, LoopMonitor loop)
{
    /// <summary>Table Storage's limit for one entity-group transaction.</summary>
    public const int MaxBatchSize = 100;

    public LedgerTable Table => table;

    /// <summary>
    /// Commits <paramref name="items"/> partition by partition. After each batch,
    /// <paramref name="committed"/> gets the items it wrote and <paramref name="rejected"/> each item
    /// storage refused for good; a cancellation (the host stopping) ends it between batches. With
    /// <paramref name="markerOf"/> (rollups: docs/ledger.md, "Compaction"), items are batched per marker
    /// and every transaction carries its marker, so no item is committed without it.
    /// </summary>
    public async Task CommitAsync<T>(
        IEnumerable<T> items,
        Func<T, string> partitionOf,
        Func<T, ITableEntity> toEntity,
        Action<IReadOnlyList<T>, int> committed,
        Action<T, Exception> rejected,
        CancellationToken cancellationToken,
        Func<T, ITableEntity>? markerOf = null)
    {
        ArgumentNullException.ThrowIfNull(committed);
        var groups = markerOf is null
            ? items.GroupBy(partitionOf).Select(g => (IEnumerable<T>)g)
            : items.GroupBy(i => (partitionOf(i), markerOf(i).RowKey)).Select(g => (IEnumerable<T>)g);
        foreach (var group in groups)
        {
            foreach (var chunk in group.Chunk(markerOf is null ? MaxBatchSize : MaxBatchSize - 1))
            {
                committed(await CommitBatchAsync(chunk, toEntity, rejected, cancellationToken, markerOf), chunk.Length);
            }
        }
    }

    /// <summary>One batch of one partition (at most 100 items); returns the items written.</summary>
    public async Task<IReadOnlyList<T>> CommitBatchAsync<T>(IReadOnlyList<T> chunk, Func<T, ITableEntity> toEntity, Action<T, Exception> rejected, CancellationToken cancellationToken, Func<T, ITableEntity>? markerOf = null)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(toEntity);
        ArgumentNullException.ThrowIfNull(rejected);
        var remaining = new List<T>(chunk);
        while (remaining.Count > 0)
        {
            try
            {
                var actions = remaining.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, toEntity(r))).ToList();
                if (markerOf is not null)
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, markerOf(remaining[0])));
                }

                await retry.ExecuteAsync(async ct => await table.SubmitAsync(actions, ct), cancellationToken);
                loop.Succeeded();
                return remaining;
            }
            catch (TableTransactionFailedException ex) when (StorageRetry.IsRefused(ex, cancellationToken) && ex.FailedTransactionActionIndex is { } index && index >= 0 && index < remaining.Count)
            {
                rejected(remaining[index], ex);
                remaining.RemoveAt(index);
            }
            catch (Exception ex) when (StorageRetry.IsRefused(ex, cancellationToken))
            {
                foreach (var item in remaining)
                {
                    rejected(item, ex);
                }

                remaining.Clear();
            }
        }

        return remaining;
    }

    /// <summary>The status and error code of a refusal, for logs.</summary>
    public static (int Status, string Code) Describe(Exception error) =>
        error is RequestFailedException failed ? (failed.Status, failed.ErrorCode ?? error.GetType().Name) : (0, error.GetType().Name);
}
