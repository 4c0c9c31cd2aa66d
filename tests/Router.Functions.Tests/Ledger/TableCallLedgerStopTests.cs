using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

/// <summary>
/// The shutdown flush on the ledger alone (no router, no model, no HTTP): records still queued
/// when the writer stops are all committed, calls and rollups, before StopAsync returns. The
/// end-to-end proof through a stopping router is LedgerShutdownTests. Tables of its own in the
/// shared Azurite.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class TableCallLedgerStopTests(SharedServers stack)
{
    [Fact]
    public async Task StopAsync_RecordsStillQueuedInSeveralPartitions_AreAllCommittedWithTheirRollups()
    {
        const int N = 230; // more than two batches, over several tasks (partitions)
        var id = Guid.NewGuid().ToString("N");
        var callsTable = "Calls" + id;
        var rollupsTable = "Rollups" + id;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Router:Storage:ConnectionString"] = stack.Azurite.ConnectionString,
            ["Router:Storage:CallsTable"] = callsTable,
            ["Router:Storage:RollupsTable"] = rollupsTable,
            ["Router:Ledger:FlushInterval"] = "00:00:30",
            ["Router:Ledger:RollupFlushInterval"] = "00:05:00",
            ["Router:Ledger:InstanceId"] = "stop-test",
        }).Build();
        // Fake time: the writer's flush wait never ends by itself, so the records are certainly still queued at the stop.
        var time = new ObservedFakeTimeProvider(TimeProvider.System.GetUtcNow());
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(time).AddSingleton(new TableServiceClient(stack.Azurite.ConnectionString));
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName));
        services.AddRouterLedger(configuration);
        var tables = new TableServiceClient(stack.Azurite.ConnectionString);
        await using var provider = services.BuildServiceProvider();
        var ledger = provider.GetRequiredService<TableCallLedger>();
        var now = time.GetUtcNow();
        var ids = Enumerable.Range(0, N).Select(i => $"stop-{id[..8]}-{i:D3}").ToList();
        try
        {
            await ledger.StartAsync(CancellationToken.None);
            string[] tasks = ["summarize", "ticket-triage", "contract-qa"];
            for (var i = 0; i < N; i++)
            {
                Assert.True(ledger.Enqueue(Record(ids[i], tasks[i % tasks.Length], now)));
            }

            // The writer has seen the records and waits (on the fake clock) for its batch to fill: stop it there.
            await time.WaitUntilWaitingAsync();
            Assert.Equal(N, ledger.QueueDepth);
            using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
            {
                await ledger.StopAsync(bound.Token); // a stop that never finished would end here, and fail below
            }

            Assert.True(ledger.ExecuteTask is { IsCompletedSuccessfully: true }, $"writer: {ledger.ExecuteTask?.Status} {ledger.ExecuteTask?.Exception}");
            Assert.Equal(0, ledger.QueueDepth);
            var rows = new List<string>();
            await foreach (var entity in tables.GetTableClient(callsTable).QueryAsync<TableEntity>())
            {
                rows.Add(CallRecordEntity.FromEntity(entity).CallId);
            }

            Assert.Equal(ids.Order(), rows.Order());
            long rolledUp = 0;
            await foreach (var entity in tables.GetTableClient(rollupsTable).QueryAsync<TableEntity>())
            {
                rolledUp += RollupEntity.FromEntity(entity).Calls;
            }

            Assert.Equal(N, rolledUp);
        }
        finally
        {
            await tables.DeleteTableAsync(callsTable);
            await tables.DeleteTableAsync(rollupsTable);
        }
    }

    [Fact]
    public async Task StopAsync_HostStopsBeforeTheWriterEverRan_StillCommitsEveryQueuedRecord()
    {
        // A host that stops right after start (or whose start failed later on) may stop a BackgroundService
        // whose ExecuteAsync never got its first turn: the flush must not live in ExecuteAsync.
        const int N = 40;
        var id = Guid.NewGuid().ToString("N");
        var callsTable = "Calls" + id;
        var rollupsTable = "Rollups" + id;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Router:Storage:ConnectionString"] = stack.Azurite.ConnectionString,
            ["Router:Storage:CallsTable"] = callsTable,
            ["Router:Storage:RollupsTable"] = rollupsTable,
            ["Router:Ledger:InstanceId"] = "never-started",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(new TableServiceClient(stack.Azurite.ConnectionString));
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName));
        services.AddRouterLedger(configuration);
        var tables = new TableServiceClient(stack.Azurite.ConnectionString);
        await using var provider = services.BuildServiceProvider();
        var ledger = provider.GetRequiredService<TableCallLedger>();
        var now = TimeProvider.System.GetUtcNow();
        var ids = Enumerable.Range(0, N).Select(i => $"never-{id[..8]}-{i:D3}").ToList();
        try
        {
            foreach (var callId in ids)
            {
                Assert.True(ledger.Enqueue(Record(callId, "summarize", now)));
            }

            using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
            {
                await ledger.StopAsync(bound.Token); // never started
            }

            Assert.Null(ledger.ExecuteTask);
            Assert.Equal(0, ledger.QueueDepth);
            var rows = new List<string>();
            await foreach (var entity in tables.GetTableClient(callsTable).QueryAsync<TableEntity>())
            {
                rows.Add(CallRecordEntity.FromEntity(entity).CallId);
            }

            Assert.Equal(ids.Order(), rows.Order());
            long rolledUp = 0;
            await foreach (var entity in tables.GetTableClient(rollupsTable).QueryAsync<TableEntity>())
            {
                rolledUp += RollupEntity.FromEntity(entity).Calls;
            }

            Assert.Equal(N, rolledUp);
        }
        finally
        {
            await tables.DeleteTableAsync(callsTable);
            await tables.DeleteTableAsync(rollupsTable);
        }
    }

    private static CallRecord Record(string callId, string task, DateTimeOffset at) => new()
    {
        CallId = callId,
        RequestId = callId,
        Timestamp = at,
        Task = task,
        Route = "large",
        Model = "large",
        Deployment = "gpt-4o",
        Client = "caller-a",
        Api = "route",
        Status = CallStatus.Ok,
        InputTokens = 100,
        OutputTokens = 7,
        CostUsd = 0.00032m,
        PriceVersion = "p1",
        TotalMs = 20,
        UpstreamMs = 18,
        OverheadMs = 2,
        PromptVersion = "v1",
    };
}
