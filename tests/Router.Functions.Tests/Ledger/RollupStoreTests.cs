using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

/// <summary>
/// The one reader of RouterRollups against real Table Storage: every filter selects exactly its
/// rows, a projection still says what each row covers, and a missing table reads as no rows.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class RollupStoreTests(SharedServers stack)
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReadAsync_EachFilter_SelectsExactlyItsRows()
    {
        var (store, table) = Store();
        await table.CreateAsync();
        try
        {
            await SeedAsync(table, "summarize", Hour, "caller-a", "i1", 1);
            await SeedAsync(table, "summarize", Hour.AddHours(1), "caller-b", "i2", 10);
            await SeedAsync(table, "summarize", Hour.AddHours(-1), "caller-a", "i1", 100);
            await SeedAsync(table, "triage", Hour, "caller-a", "i2", 1_000);

            Assert.Equal(1111, Sum(await store.ReadAsync(new RollupRead(), default)));
            Assert.Equal(111, Sum(await store.ReadAsync(new RollupRead { Task = "summarize" }, default)));
            Assert.Equal(1011, Sum(await store.ReadAsync(new RollupRead { From = Hour }, default)));
            Assert.Equal(1001, Sum(await store.ReadAsync(new RollupRead { From = Hour, To = Hour.AddHours(1) }, default)));
            Assert.Equal(100, Sum(await store.ReadAsync(new RollupRead { To = Hour }, default)));
            Assert.Equal(1101, Sum(await store.ReadAsync(new RollupRead { Client = "caller-a" }, default)));
            Assert.Equal(101, Sum(await store.ReadAsync(new RollupRead { Instance = "i1" }, default)));
            Assert.Equal(1010, Sum(await store.ReadAsync(new RollupRead { ExceptInstance = "i1" }, default)));
            Assert.Single(await store.ReadAsync(new RollupRead { Take = 1 }, default));
            Assert.True(await store.AnyAsync(new RollupRead { Task = "triage", To = Hour.AddHours(1) }, default));
            Assert.False(await store.AnyAsync(new RollupRead { Task = "triage", To = Hour }, default));
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    [Fact]
    public async Task ReadAsync_SomeColumns_ReturnsThemWithTheKeyColumns()
    {
        var (store, table) = Store();
        await table.CreateAsync();
        try
        {
            await SeedAsync(table, "summarize", Hour, "caller-a", "i1", 42);

            var row = Assert.Single(await store.ReadAsync(new RollupRead { Columns = ["CostNanoUsd"] }, default));

            Assert.Equal(("summarize", Hour, "large", "gpt-large", "caller-a", "i1"), (row.Task, row.Hour, row.Route, row.Model, row.Client, row.Instance));
            Assert.Equal(42, row.CostNanoUsd);
            Assert.Equal(0, row.Calls); // not asked for
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    [Fact]
    public async Task ReadAsync_TableMissing_ReadsNoRows()
    {
        var (store, _) = Store();

        Assert.Empty(await store.ReadAsync(new RollupRead { Task = "summarize", Client = "caller-a" }, default));
        Assert.False(await store.AnyAsync(new RollupRead(), default));
    }

    private (RollupStore Store, TableClient Table) Store()
    {
        var name = "Rollups" + Guid.NewGuid().ToString("N");
        var service = new TableServiceClient(stack.Azurite.ConnectionString);
        return (new RollupStore(service, Options.Create(new StorageOptions { RollupsTable = name })), service.GetTableClient(name));
    }

    private static long Sum(IEnumerable<RollupRecord> rows) => rows.Sum(r => r.CostNanoUsd);

    private static async Task SeedAsync(TableClient table, string task, DateTimeOffset hour, string client, string instance, long costNanoUsd) =>
        await table.UpsertEntityAsync(RollupEntity.ToEntity(new RollupRecord
        {
            Task = task, Hour = hour, Route = "large", Model = "gpt-large", Client = client, Instance = instance,
            Calls = 1, CostNanoUsd = costNanoUsd, LatencyBuckets = new long[LatencyHistogram.BucketCount],
        }));
}
