using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Ledger;
using Router.Core.Ledger.Fleet;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger.Fleet;

/// <summary>
/// A router on the shared Azurite with rollup tables of its own (instance and fleet), compaction
/// on but left to the test to run, and a seeder that writes rollup rows as other instances'
/// writers do: the hour's rows and its marker in one transaction.
/// </summary>
internal sealed class FleetTables : IAsyncDisposable
{
    private FleetTables(RouterServer router, string connectionString, string name, TableClient rollups, TableClient fleet)
    {
        ConnectionString = connectionString;
        Name = name;
        Router = router;
        Rollups = rollups;
        Fleet = fleet;
    }

    public RouterServer Router { get; }

    public string ConnectionString { get; }

    /// <summary>The instance rollups table (the fleet table is this + "Fleet").</summary>
    public string Name { get; }

    public TableClient Rollups { get; }

    public TableClient Fleet { get; }

    /// <summary>A router on fresh tables; with <paramref name="counting"/>, every storage request of the router passes through it.</summary>
    public static async Task<FleetTables> StartAsync(SharedServers stack, string instance = "self", CountingPolicy? counting = null)
    {
        var name = "Fleet" + Guid.NewGuid().ToString("N")[..12];
        var settings = SettingsFor(stack, name, instance);
        var router = counting is null
            ? await RouterServer.StartAsync(settings)
            : await RouterServer.StartAsync(settings, services => services.AddSingleton(counting.Service(stack.Azurite.ConnectionString)));
        var service = new TableServiceClient(stack.Azurite.ConnectionString);
        var rollups = service.GetTableClient(name);
        await rollups.CreateIfNotExistsAsync();
        return new FleetTables(router, stack.Azurite.ConnectionString, name, rollups, service.GetTableClient(name + "Fleet"));
    }

    /// <summary>Another router of the same fleet: the same tables, another instance name, compaction on and left to the test.</summary>
    public Task<RouterServer> StartPeerAsync(SharedServers stack, string instance) => RouterServer.StartAsync(SettingsFor(stack, Name, instance));

    private static Dictionary<string, string?> SettingsFor(SharedServers stack, string rollupsTable, string instance)
    {
        var settings = stack.Settings;
        settings["Router:Storage:RollupsTable"] = rollupsTable;
        settings["Router:Ledger:Compaction:Enabled"] = "true";
        settings["Router:Ledger:Compaction:Schedule"] = "0 0 0 1 1 *"; // the test runs it
        settings["Router:Ledger:InstanceId"] = instance;
        return settings;
    }

    /// <summary>One instance's cumulative row for an hour (as its writer upserts it), with the hour's marker.</summary>
    public async Task SeedAsync(string instance, string task, DateTimeOffset hour, string client, long calls, long costNanoUsd, string model = "large", string promptVersion = "v1")
    {
        var buckets = new long[LatencyHistogram.BucketCount];
        buckets[LatencyHistogram.BucketOf(120)] = calls;
        var row = new RollupRecord
        {
            Task = task, Hour = hour, Route = "large", Model = model, Client = client, Instance = instance,
            Calls = calls, InputTokens = calls * 100, OutputTokens = calls * 10, CostNanoUsd = costNanoUsd, LatencySumMs = calls * 120.0,
            LatencyBuckets = buckets, FirstCallAt = hour.AddMinutes(1), LastCallAt = hour.AddMinutes(59), PromptVersion = promptVersion,
        };
        await Rollups.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, RollupEntity.ToEntity(row)),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, RollupMarkers.ToEntity(task, hour, instance)),
        ]);
    }

    public async Task<List<TableEntity>> MarkersAsync()
    {
        var markers = new List<TableEntity>();
        await foreach (var m in Rollups.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ge {RollupMarkers.Prefix} and RowKey lt {RollupMarkers.End}")))
        {
            markers.Add(m);
        }

        return markers;
    }

    public async Task<List<TableEntity>> FleetRowsAsync(string task)
    {
        var rows = new List<TableEntity>();
        await foreach (var r in Fleet.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {task} and RowKey lt {"~"}")))
        {
            rows.Add(r);
        }

        return rows;
    }

    /// <summary>Every day row of a task (the compacted days).</summary>
    public async Task<List<TableEntity>> DayRowsAsync(string task)
    {
        var rows = new List<TableEntity>();
        await foreach (var r in Fleet.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {FleetRollups.DayPartition(task)}")))
        {
            rows.Add(r);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await Router.DisposeAsync();
        await Rollups.DeleteAsync();
        await Fleet.DeleteAsync();
    }
}
