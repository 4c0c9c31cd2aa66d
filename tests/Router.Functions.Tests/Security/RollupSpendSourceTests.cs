using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Router.Core.Ledger;
using Router.Core.Ledger.Fleet;
using Router.Core.Security;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Security;

/// <summary>
/// The other half of the budget's cross-instance rule, against real Table Storage: the spend
/// read from RouterRollups is every other instance's, today's, summed per client, and never
/// this instance's own (which it counts exactly in memory). Each test uses a table of its own.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class RollupSpendSourceTests(SharedServers stack)
{
    private static readonly DateTimeOffset Today = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OtherInstancesSpendAsync_RowsOfSeveralInstancesAndDays_SumsOtherInstancesTodayPerClient()
    {
        var table = "Spend" + Guid.NewGuid().ToString("N");
        var rollups = new TableServiceClient(stack.Azurite.ConnectionString).GetTableClient(table);
        await rollups.CreateAsync();
        try
        {
            await SeedAsync(rollups, "other-1", Today.AddHours(9), "caller-b", 4_000_000_000);
            await SeedAsync(rollups, "other-2", Today.AddHours(23), "caller-b", 2_000_000_000);
            await SeedAsync(rollups, "other-2", Today.AddHours(10), "caller-a", 250_000_000);
            await SeedAsync(rollups, "self", Today.AddHours(9), "caller-b", 100_000_000_000); // own rows: counted in memory, not here
            await SeedAsync(rollups, "other-1", Today.AddHours(-1), "caller-b", 50_000_000_000); // yesterday
            await SeedAsync(rollups, "other-1", Today.AddDays(1), "caller-b", 70_000_000_000); // tomorrow

            var source = new RollupSpendSource(new RollupStore(new TableServiceClient(stack.Azurite.ConnectionString), Options.Create(new StorageOptions { RollupsTable = table })), new RouterInstance("self"), Options.Create(new CompactionOptions()), TimeProvider.System);
            var spend = await source.OtherInstancesSpendAsync(DateOnly.FromDateTime(Today.UtcDateTime), CancellationToken.None);

            Assert.Equal(new ClientSpend(6m), spend.ByClient["caller-b"]);
            Assert.Equal(new ClientSpend(0.25m), spend.ByClient["caller-a"]);
            Assert.Equal(2, spend.ByClient.Count);
        }
        finally
        {
            await rollups.DeleteAsync();
        }
    }

    private static async Task SeedAsync(TableClient rollups, string instance, DateTimeOffset hour, string client, long costNanoUsd) =>
        await rollups.UpsertEntityAsync(RollupEntity.ToEntity(new RollupRecord
        {
            Task = "summarize", Hour = hour, Route = "large", Model = "large", Client = client, Instance = instance,
            Calls = 1, CostNanoUsd = costNanoUsd, LatencyBuckets = new long[LatencyHistogram.BucketCount],
        }));
}
