using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Core.Ledger;
using Router.Core.Ledger.Journal;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

/// <summary>
/// The start-up replay against real Table Storage: a dead instance's journal (written by the real
/// journal, left unacknowledged) is replayed by a router started on the same folder. Whatever part
/// of it was already written before the death (call rows, rollup rows up to a sequence number),
/// the end state has each call once and rollups that add up to the calls, never more.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class LedgerJournalReplayTests(SharedServers stack)
{
    private const int N = 6;

    [Theory]
    [InlineData(0, 0)] // died before anything was written
    [InlineData(4, 2)] // four rows committed, two of them in a stored rollup row
    [InlineData(N, N)] // everything written, only the acknowledgement was lost
    public async Task Start_DeadInstancesJournal_ReplaysEachCallOnceAndRollupsAddUp(int committedRows, int rolledUp)
    {
        var dead = new DeadInstance(stack.Azurite.ConnectionString);
        var records = dead.Records(N);
        var seqs = dead.Journal(records);
        await dead.CommitRowsAsync(records.Take(committedRows));
        await dead.StoreRollupAsync(records.Take(rolledUp), rolledUp == 0 ? 0 : seqs[rolledUp - 1]);

        await using var router = await dead.StartRouterAsync(stack.Emulator.Address);
        var ledger = router.Services.GetRequiredService<TableCallLedger>();
        await Eventually.UntilAsync(() => ledger.ReplayDone, "the journal replay finished");

        var rows = await new LedgerReader(stack.Azurite.ConnectionString, dead.CallsTable).AllAsync();
        Assert.Equal(records.Select(r => r.CallId).Order(), rows.Select(r => r.CallId).Order());
        var rollups = await new RollupReader(stack.Azurite.ConnectionString, dead.RollupsTable).AllAsync();
        var row = Assert.Single(rollups);
        Assert.Equal(("dead", (long)N), (row.Instance, row.Calls));
        Assert.Equal(records.Sum(r => CallRecordEntity.NanoUsd(r.CostUsd)), row.CostNanoUsd);
        Assert.Equal(seqs[^1], row.JournalSeq);
        Assert.Equal((long)N, ledger.Replay.Replayed);
        Assert.Empty(Directory.EnumerateFiles(dead.Folder, "dead.*"));
    }

    [Fact]
    public async Task Start_ReplayInterruptedAndRepeated_CountsNothingTwice()
    {
        // The first replaying process wrote every row and the rollup, then died before deleting the
        // journal: the second replay finds the stored rollup already past every record.
        var dead = new DeadInstance(stack.Azurite.ConnectionString);
        var records = dead.Records(N);
        var seqs = dead.Journal(records);
        await dead.CommitRowsAsync(records);
        await dead.StoreRollupAsync(records, seqs[^1]);
        var copy = Directory.CreateTempSubdirectory("journal-copy").FullName;
        foreach (var file in Directory.EnumerateFiles(dead.Folder))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        await using (var first = await dead.StartRouterAsync(stack.Emulator.Address))
        {
            await Eventually.UntilAsync(() => first.Services.GetRequiredService<TableCallLedger>().ReplayDone, "the first replay finished");
        }

        foreach (var file in Directory.EnumerateFiles(copy))
        {
            File.Copy(file, Path.Combine(dead.Folder, Path.GetFileName(file)), overwrite: true);
        }

        await using var second = await dead.StartRouterAsync(stack.Emulator.Address);
        await Eventually.UntilAsync(() => second.Services.GetRequiredService<TableCallLedger>().ReplayDone, "the second replay finished");

        var rows = await new LedgerReader(stack.Azurite.ConnectionString, dead.CallsTable).AllAsync();
        Assert.Equal(N, rows.Count);
        var row = Assert.Single(await new RollupReader(stack.Azurite.ConnectionString, dead.RollupsTable).AllAsync());
        Assert.Equal(N, row.Calls);
    }

    [Fact]
    public async Task Start_LastJournalRecordTorn_SkipsAndCountsItAndReplaysTheRest()
    {
        var dead = new DeadInstance(stack.Azurite.ConnectionString);
        var records = dead.Records(N);
        dead.Journal(records);
        var segment = Assert.Single(Directory.EnumerateFiles(dead.Folder, "*.seg"));
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(file.Length - 25); // the process died mid-write of the last record
        }

        await using var router = await dead.StartRouterAsync(stack.Emulator.Address);
        var ledger = router.Services.GetRequiredService<TableCallLedger>();
        await Eventually.UntilAsync(() => ledger.ReplayDone, "the journal replay finished");

        var rows = await new LedgerReader(stack.Azurite.ConnectionString, dead.CallsTable).AllAsync();
        Assert.Equal(records.SkipLast(1).Select(r => r.CallId).Order(), rows.Select(r => r.CallId).Order());
        Assert.Equal((N - 1L, 1L), (ledger.Replay.Replayed, ledger.Replay.Unreadable));
        Assert.Equal(N - 1, Assert.Single(await new RollupReader(stack.Azurite.ConnectionString, dead.RollupsTable).AllAsync()).Calls);
    }

    [Fact]
    public async Task Enqueue_JournalFull_KeepsServingAndQueueingAndCountsTheUnjournaled()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await azurite.StopAsync(); // nothing is acknowledged: the journal only fills
        var settings = RouterServer.DefaultSettings(azurite.ConnectionString, stack.Emulator.Address);
        settings["Router:Ledger:Journal:SegmentBytes"] = "65536";
        settings["Router:Ledger:Journal:MaxBytes"] = "131072";
        settings["Router:Ledger:FlushInterval"] = "00:01:00";
        settings["Router:Ledger:ShutdownFlushTimeout"] = "00:00:00.200";
        await using var router = await RouterServer.StartAsync(settings);
        var ledger = router.Services.GetRequiredService<TableCallLedger>();
        var now = TimeProvider.System.GetUtcNow();

        var kept = Enumerable.Range(0, 1_000).Count(i => ledger.Enqueue(DeadInstance.Record("full-" + i, now)));

        Assert.Equal(1_000, kept);
        Assert.Equal(1_000, ledger.QueueDepth);
        Assert.InRange(ledger.Journal.Full, 1, 900);
        Assert.Equal(1_000, ledger.Journal.Appended + ledger.Journal.Full);
        Assert.InRange(ledger.Journal.Bytes, 131_072, 131_072 + JournalFrame.MaxPayloadBytes);
        using var health = await router.Http.GetAsync("api/health");
        var body = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Equal(ledger.Journal.Full, body.GetProperty("ledger").GetProperty("notJournaled").GetInt64());
        Assert.Contains(body.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("not journaled", StringComparison.Ordinal));
    }

    /// <summary>A process that journaled records and died: its folder, its tables and what it had written.</summary>
    private sealed class DeadInstance(string connectionString)
    {
        private readonly string _id = Guid.NewGuid().ToString("N");
        private readonly TableServiceClient _tables = new(connectionString);

        public string Folder { get; } = Path.Combine(Path.GetTempPath(), "router-test-journal", Guid.NewGuid().ToString("N"));

        public string CallsTable => "Calls" + _id;

        public string RollupsTable => "Rollups" + _id;

        public static CallRecord Record(string callId, DateTimeOffset at) => new()
        {
            CallId = callId, RequestId = callId, Timestamp = at, Task = "summarize", Route = "large", Model = "large", Deployment = "gpt-4o",
            Client = "caller-a", Api = "route", Status = CallStatus.Ok, PriceVersion = "p", PromptVersion = "v",
            InputTokens = 120, CallerTokens = 120, OutputTokens = 30, CostUsd = 0.000123456m, TotalMs = 12,
        };

        public List<CallRecord> Records(int count)
        {
            var now = TimeProvider.System.GetUtcNow();
            return Enumerable.Range(0, count).Select(i => Record($"replay-{_id[..8]}-{i}", now.AddMilliseconds(i))).ToList();
        }

        /// <summary>Journals the records with the real journal and leaves it unacknowledged, as a killed process does.</summary>
        public long[] Journal(IEnumerable<CallRecord> records)
        {
            var journal = CallJournal.Open(new JournalOptions(), Folder, new RouterInstance("dead"), TimeProvider.System, NullLogger.Instance);
            var seqs = records.Select(journal.Append).ToArray();
            journal.Dispose(); // not acknowledged: the files stay, unlocked
            return seqs;
        }

        public async Task CommitRowsAsync(IEnumerable<CallRecord> records)
        {
            var table = _tables.GetTableClient(CallsTable);
            await table.CreateIfNotExistsAsync();
            foreach (var record in records)
            {
                await table.UpsertEntityAsync(CallRecordEntity.ToEntity(record, 4));
            }
        }

        /// <summary>The rollup row the dead process had written: the given records, stamped with the last sequence number they reach.</summary>
        public async Task StoreRollupAsync(IEnumerable<CallRecord> records, long journalSeq)
        {
            var aggregator = new RollupAggregator("dead");
            foreach (var record in records)
            {
                aggregator.Add(record);
            }

            var table = _tables.GetTableClient(RollupsTable);
            await table.CreateIfNotExistsAsync();
            foreach (var row in aggregator.TakeDirty(journalSeq))
            {
                await table.UpsertEntityAsync(RollupEntity.ToEntity(row));
            }
        }

        public Task<RouterServer> StartRouterAsync(Uri emulator)
        {
            var settings = RouterServer.DefaultSettings(connectionString, emulator);
            settings["Router:Storage:CallsTable"] = CallsTable;
            settings["Router:Storage:RollupsTable"] = RollupsTable;
            settings["Router:Ledger:Journal:Folder"] = Folder;
            return RouterServer.StartAsync(settings);
        }
    }
}
