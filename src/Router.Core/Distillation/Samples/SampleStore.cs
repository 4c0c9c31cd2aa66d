using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Router.Core.Ledger;

namespace Router.Core.Distillation.Samples;

/// <summary>
/// Reads RouterSamples for one task. "Eligible" examples are those captured under the task's current
/// prompt version: an answer to an older prompt teaches an older behaviour.
/// </summary>
public sealed class SampleStore(TableServiceClient service, IOptions<StorageOptions> storage, IOptions<DistillationOptions> options)
{
    private static readonly string[] CountColumns = ["PromptVersion"];

    private readonly TableClient _samples = service.GetTableClient(storage.Value.SamplesTable);
    private readonly int _shards = options.Value.SampleShardCount;

    public async Task<long> CountEligibleAsync(string task, string promptVersion, CancellationToken cancellationToken)
    {
        long count = 0;
        foreach (var partition in SampleKeys.Partitions(task, _shards))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and PromptVersion eq {promptVersion}");
            await foreach (var _ in _samples.QueryOrEmptyAsync(filter, CountColumns, cancellationToken))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The eligible examples, shard by shard, streamed as they are read.</summary>
    public async IAsyncEnumerable<TrainingSample> ReadEligibleAsync(string task, string promptVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var partition in SampleKeys.Partitions(task, _shards))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and PromptVersion eq {promptVersion}");
            await foreach (var entity in _samples.QueryOrEmptyAsync(filter, select: null, cancellationToken))
            {
                yield return SampleEntity.FromEntity(entity);
            }
        }
    }
}
