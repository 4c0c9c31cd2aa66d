// The request path's cost of the journal: TableCallLedger.Enqueue (what CallRecorder calls once per
// model call) with the journal on and off, on one thread and on four at once. The writer loop is not
// started, so nothing reaches storage and the figure is the enqueue alone: JSON of the record, one
// write(2) to the segment file, the queue. Usage: dotnet run -c Release -- [records per run] [folder]
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Router.Core.Background;
using Router.Core.Ledger;
using Router.Core.Ledger.Journal;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var root = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "router-journal-bench");
var time = TimeProvider.System;

Console.WriteLine($"records per run: {count}; journal folder: {root}; {Environment.ProcessorCount} cores");
Console.WriteLine("journal  threads  mean µs/call  p50 µs  p99 µs  p99.9 µs  journal bytes/record");
foreach (var journaled in new[] { false, true, false, true })
{
    foreach (var threads in new[] { 1, 4 })
    {
        Run(journaled, threads);
    }
}

void Run(bool journaled, int threads)
{
    var folder = Path.Combine(root, Guid.NewGuid().ToString("N"));
    var options = new JournalOptions { Enabled = journaled, MaxBytes = 4L * 1024 * 1024 * 1024 };
    var instance = new RouterInstance("bench");
    using var journal = CallJournal.Open(options, folder, instance, time, NullLogger.Instance);
    var service = new TableServiceClient("UseDevelopmentStorage=true"); // never contacted
    using var ledger = new TableCallLedger(
        service,
        Options.Create(new LedgerOptions { QueueCapacity = (count * 2) + 1_000 }),
        Options.Create(new StorageOptions()),
        Options.Create(options),
        journal,
        new RollupStore(service, Options.Create(new StorageOptions())),
        instance,
        new LoopRegistry(time, NullLoggerFactory.Instance),
        time,
        NullLogger<TableCallLedger>.Instance);

    var records = Enumerable.Range(0, count).Select(i => Record("bench-" + i.ToString("D8", CultureInfo.InvariantCulture), time.GetUtcNow())).ToArray();
    // Warm up (JIT, first segment) on records of their own.
    for (var i = 0; i < 2_000; i++)
    {
        ledger.Enqueue(Record("warm-" + i, time.GetUtcNow()));
    }

    var elapsed = new double[count];
    var perThread = count / threads;
    var started = time.GetTimestamp();
    Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
    {
        for (var i = t * perThread; i < (t + 1) * perThread; i++)
        {
            var before = time.GetTimestamp();
            ledger.Enqueue(records[i]);
            elapsed[i] = time.GetElapsedTime(before).TotalMicroseconds;
        }
    });
    var wall = time.GetElapsedTime(started);
    Array.Sort(elapsed, 0, perThread * threads);
    var n = perThread * threads;
    double P(double q) => elapsed[Math.Min(n - 1, (int)(q * n))];
    var bytesPerRecord = journaled ? (double)journal.Bytes / journal.Appended : 0;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{(journaled ? "on" : "off"),-8} {threads,7}  {wall.TotalMicroseconds * threads / n,12:0.00}  {P(0.5),6:0.00}  {P(0.99),6:0.00}  {P(0.999),8:0.00}  {bytesPerRecord,20:0}"));
    journal.Dispose();
    if (Directory.Exists(folder))
    {
        Directory.Delete(folder, recursive: true);
    }
}

static CallRecord Record(string callId, DateTimeOffset at) => new()
{
    CallId = callId, RequestId = callId, Timestamp = at, Task = "ticket-triage", Route = "small", Model = "small", Deployment = "gpt-4o-mini-ft",
    Client = "caller-a", Api = "chat", Status = CallStatus.Ok, PriceVersion = "2026-11-01", PromptVersion = "3f2a9c1d",
    InputTokens = 182, SystemTokens = 40, ExamplesTokens = 0, ContextTokens = 0, CallerTokens = 142, OutputTokens = 3,
    CostUsd = 0.0000571m, TotalMs = 212.4, UpstreamMs = 211.9, OverheadMs = 0.5, TimeToFirstTokenMs = 180.2,
};
