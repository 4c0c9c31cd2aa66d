using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Router.Core;
using Router.Core.Distillation.Reporting;
using Router.Core.Ledger;

// Seeds RouterRollups with DAYS days x TASKS tasks x INSTANCES instances x 24 hours, then times the
// distillation report (RUNS runs) through DistillationReportService, as the timer would run it.
// Usage: dotnet run -c Release -- <table connection string>   (bench/distillation-report.sh starts Azurite)
var connection = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("BENCH_STORAGE") ?? throw new InvalidOperationException("Pass the table connection string.");
var days = Env("DAYS", 30);
var taskCount = Env("TASKS", 10);
var instances = Env("INSTANCES", 3);
var runs = Env("RUNS", 5);
var suffix = TimeProvider.System.GetUtcNow().ToString("HHmmss", CultureInfo.InvariantCulture);

var settings = new Dictionary<string, string?>
{
    ["Router:Storage:ConnectionString"] = connection,
    ["Router:Storage:RollupsTable"] = "BenchRollups" + suffix,
    ["Router:Storage:SamplesTable"] = "BenchSamples" + suffix,
    ["Router:Storage:ReportsTable"] = "BenchReports" + suffix,
    ["Router:Distillation:WindowDays"] = days.ToString(CultureInfo.InvariantCulture),
};
foreach (var (name, hosting) in new[] { ("large", "0"), ("small", "1.70") })
{
    settings[$"Router:Models:{name}:Kind"] = "azure-openai";
    settings[$"Router:Models:{name}:Endpoint"] = "http://127.0.0.1:9/";
    settings[$"Router:Models:{name}:Deployment"] = name;
    settings[$"Router:Models:{name}:ApiKey"] = "unused";
    settings[$"Router:Models:{name}:Prices:InputPerMillion"] = name == "large" ? "2.50" : "0.30";
    settings[$"Router:Models:{name}:Prices:OutputPerMillion"] = name == "large" ? "10.00" : "1.20";
    settings[$"Router:Models:{name}:Prices:HostingPerHour"] = hosting;
    settings[$"Router:Models:{name}:Prices:TrainingPerMillion"] = "3.00";
    settings[$"Router:Models:{name}:Prices:EffectiveDate"] = "2024-10-01";
}

var tasks = Enumerable.Range(0, taskCount).Select(i => $"bench-task-{i:D2}").ToArray();
foreach (var task in tasks)
{
    settings[$"Router:Tasks:{task}:Kind"] = "classification";
    settings[$"Router:Tasks:{task}:Route"] = "large";
    settings[$"Router:Tasks:{task}:Large:Model"] = "large";
    settings[$"Router:Tasks:{task}:Large:System"] = "Label the ticket.";
    settings[$"Router:Tasks:{task}:Small:Model"] = "small";
    settings[$"Router:Tasks:{task}:Small:System"] = "Label.";
}

var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddRouterCore(configuration).BuildServiceProvider();
var catalog = services.GetRequiredService<Router.Core.Catalog.TaskCatalog>();
var report = services.GetRequiredService<DistillationReportService>();

var rollups = new TableServiceClient(connection).GetTableClient(settings["Router:Storage:RollupsTable"]);
await rollups.CreateIfNotExistsAsync();
var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
var seedStart = TimeProvider.System.GetTimestamp();
long rows = 0;
await Parallel.ForEachAsync(catalog.Tasks, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (task, ct) =>
{
    for (var d = 1; d <= days; d++)
    {
        var day = today.AddDays(-d).ToDateTime(TimeOnly.MinValue);
        var actions = new List<TableTransactionAction>();
        for (var hour = 0; hour < 24; hour++)
        {
            for (var i = 0; i < instances; i++)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, RollupEntity.ToEntity(new RollupRecord
                {
                    Task = task.Name,
                    Hour = new DateTimeOffset(day.AddHours(hour), TimeSpan.Zero),
                    Route = "large",
                    Model = "large",
                    Client = "bench",
                    Instance = "instance-" + i,
                    Calls = 100,
                    SystemTokens = 100 * 800,
                    ExamplesTokens = 100 * 1_200,
                    CallerTokens = 100 * 300,
                    OutputTokens = 100 * 20,
                    CostNanoUsd = 100 * 5_950_000L,
                    LatencyBuckets = new long[LatencyHistogram.BucketCount],
                    PromptVersion = task.PromptVersion,
                })));
            }
        }

        foreach (var chunk in actions.Chunk(TableCallLedger.MaxBatchSize))
        {
            await rollups.SubmitTransactionAsync(chunk, ct);
            Interlocked.Add(ref rows, chunk.Length);
        }
    }
});
var seedElapsed = TimeProvider.System.GetElapsedTime(seedStart);
Console.WriteLine(FormattableString.Invariant($"seeded {rows:N0} rollup rows ({days} days x {taskCount} tasks x {instances} instances x 24 h) in {seedElapsed.TotalSeconds:F1} s"));

var timings = new List<double>();
for (var r = 0; r < runs; r++)
{
    var start = TimeProvider.System.GetTimestamp();
    var (run, _) = await report.RunAsync(CancellationToken.None);
    var elapsed = TimeProvider.System.GetElapsedTime(start);
    timings.Add(elapsed.TotalMilliseconds);
    Console.WriteLine(FormattableString.Invariant($"run {r + 1}: {elapsed.TotalMilliseconds:F0} ms, {run.Reports.Count} reports, first: {run.Reports[0].Task} {run.Reports[0].Verdict} V={run.Reports[0].CallsPerDay:N0}/day"));
}

timings.Sort();
Console.WriteLine(FormattableString.Invariant($"report over {rows:N0} rows: min {timings[0]:F0} ms, median {timings[timings.Count / 2]:F0} ms, max {timings[^1]:F0} ms"));

static int Env(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
