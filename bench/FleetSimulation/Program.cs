using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Router.Core;
using Router.Core.Dashboard;
using Router.Core.Distillation.Reporting;
using Router.Core.Ledger;
using Router.Core.Ledger.Fleet;
using Router.Core.Security;

// A fleet of INSTANCES simulated router instances: seeds RouterRollups with DAYS days x TASKS tasks x
// INSTANCES instances x 24 hourly rows (plus today's closed hours and the open hour, with the markers the
// writers commit), then measures, before and after one compaction run: the distillation report, the
// dashboard's data call, and one budget refresh (storage requests and time); then a second, steady-state
// compaction run and the budget refresh again. docs/benchmarks.md, "Fleet".
// Usage: dotnet run -c Release -- <table connection string>   (bench/fleet-simulation.sh starts Azurite)
var connection = args.Length > 0 ? args[0] : throw new InvalidOperationException("Pass the table connection string.");
var days = Env("DAYS", 30);
var taskCount = Env("TASKS", 10);
var instances = Env("INSTANCES", 100);
var suffix = TimeProvider.System.GetUtcNow().ToString("HHmmss", CultureInfo.InvariantCulture);

var settings = new Dictionary<string, string?>
{
    ["Router:Storage:ConnectionString"] = connection,
    ["Router:Storage:RollupsTable"] = "SimRollups" + suffix,
    ["Router:Storage:SamplesTable"] = "SimSamples" + suffix,
    ["Router:Storage:ReportsTable"] = "SimReports" + suffix,
    ["Router:Distillation:WindowDays"] = Math.Min(days, 30).ToString(CultureInfo.InvariantCulture),
    ["Router:Ledger:InstanceId"] = "instance-0",
    ["Router:Auth:Clients:0:Name"] = "bench",
    ["Router:Auth:Clients:0:KeySha256"] = new string('0', 64),
    ["Router:Auth:Clients:0:Roles:0"] = "caller",
    ["Router:Auth:Clients:0:DailyBudgetUsd"] = "1000000",
};
foreach (var name in new[] { "large", "small" })
{
    settings[$"Router:Models:{name}:Kind"] = "azure-openai";
    settings[$"Router:Models:{name}:Endpoint"] = "http://127.0.0.1:9/";
    settings[$"Router:Models:{name}:Deployment"] = name;
    settings[$"Router:Models:{name}:ApiKey"] = "unused";
    settings[$"Router:Models:{name}:Prices:InputPerMillion"] = name == "large" ? "2.50" : "0.30";
    settings[$"Router:Models:{name}:Prices:OutputPerMillion"] = name == "large" ? "10.00" : "1.20";
    settings[$"Router:Models:{name}:Prices:EffectiveDate"] = "2024-10-01";
}

var tasks = Enumerable.Range(0, taskCount).Select(i => $"sim-task-{i:D2}").ToArray();
foreach (var task in tasks)
{
    settings[$"Router:Tasks:{task}:Kind"] = "classification";
    settings[$"Router:Tasks:{task}:Route"] = "large";
    settings[$"Router:Tasks:{task}:Large:Model"] = "large";
    settings[$"Router:Tasks:{task}:Large:System"] = "Label the ticket.";
}

var requests = new CountingPolicy();
var tableOptions = new TableClientOptions();
tableOptions.Retry.NetworkTimeout = TimeSpan.FromMinutes(5); // Azurite in memory is slow to page through a large table on a busy machine
tableOptions.AddPolicy(requests, HttpPipelinePosition.PerCall);
var tableService = new TableServiceClient(connection, tableOptions);
var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
var services = new ServiceCollection()
    .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
    .AddSingleton(tableService)
    .AddRouterCore(configuration)
    .BuildServiceProvider();
var catalog = services.GetRequiredService<Router.Core.Catalog.TaskCatalog>();

// 1. Seed: history without markers (compaction's first run scans it), today's rows as writers commit them.
var rollups = new TableClient(connection, settings["Router:Storage:RollupsTable"]);
await rollups.CreateIfNotExistsAsync();
var now = TimeProvider.System.GetUtcNow();
var today = DateOnly.FromDateTime(now.UtcDateTime);
var todayStart = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
var openHour = RollupKey.HourOf(now);
var seedStart = TimeProvider.System.GetTimestamp();
long rows = 0;
await Parallel.ForEachAsync(catalog.Tasks, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (task, ct) =>
{
    for (var d = days; d >= 0; d--)
    {
        var dayStart = todayStart.AddDays(-d);
        var hours = d == 0 ? (int)((openHour - todayStart).TotalHours + 1) : 24;
        for (var i = 0; i < instances; i++)
        {
            var actions = new List<TableTransactionAction>();
            for (var hour = 0; hour < hours; hour++)
            {
                var at = dayStart.AddHours(hour);
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, RollupEntity.ToEntity(Row(task, at, "instance-" + i))));
                if (d == 0)
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, RollupMarkers.ToEntity(task.Name, at, "instance-" + i)));
                }
            }

            foreach (var chunk in actions.Chunk(TableCallLedger.MaxBatchSize))
            {
                await rollups.SubmitTransactionAsync(chunk, ct);
            }

            Interlocked.Add(ref rows, hours);
        }
    }
});
Console.WriteLine(FormattableString.Invariant($"seeded {rows:N0} rollup rows ({instances} instances x {days} days + today x {taskCount} tasks x 24 h) in {TimeProvider.System.GetElapsedTime(seedStart).TotalSeconds:F0} s"));

// 2. Before compaction, 3. compaction, 4. after.
await MeasureAsync("before");
var compactStart = TimeProvider.System.GetTimestamp();
var compactRequests = requests.Count;
var run = await services.GetRequiredService<RollupCompactor>().RunAsync(CancellationToken.None);
Console.WriteLine(FormattableString.Invariant($"compaction: {TimeProvider.System.GetElapsedTime(compactStart).TotalSeconds:F1} s, {requests.Count - compactRequests:N0} storage requests, {run.HoursFolded:N0} hours folded, {run.InstanceRowsRead:N0} instance rows read, {run.FleetRowsWritten:N0} fleet rows written, {run.DaysFolded:N0} days folded into day rows, {run.MarkersCleared:N0} markers cleared"));
await MeasureAsync("after");

// 5. A steady-state run (nothing new closed: the spend rows and the markers of the open hours only).
var steadyStart = TimeProvider.System.GetTimestamp();
var steadyRequests = requests.Count;
var steady = await services.GetRequiredService<RollupCompactor>().RunAsync(CancellationToken.None);
Console.WriteLine(FormattableString.Invariant($"compaction again: {TimeProvider.System.GetElapsedTime(steadyStart).TotalSeconds:F1} s, {requests.Count - steadyRequests:N0} storage requests, {steady.HoursFolded:N0} hours folded"));
await TimeAsync("steady", "budget refresh (one instance)", async () => await services.GetRequiredService<ISpendSource>().OtherInstancesSpendAsync(today, CancellationToken.None));

async Task MeasureAsync(string label)
{
    await TimeAsync(label, "distillation report", async () => await services.GetRequiredService<DistillationReportService>().RunAsync(CancellationToken.None));
    await TimeAsync(label, "dashboard data (30 days)", async () => await services.GetRequiredService<DashboardService>().GetAsync(30, CancellationToken.None));
    await TimeAsync(label, "budget refresh (one instance)", async () => await services.GetRequiredService<ISpendSource>().OtherInstancesSpendAsync(today, CancellationToken.None));
}

async Task TimeAsync(string label, string what, Func<Task> action)
{
    var before = requests.Count;
    var start = TimeProvider.System.GetTimestamp();
    await action();
    Console.WriteLine(FormattableString.Invariant($"{label,-7} {what,-30} {TimeProvider.System.GetElapsedTime(start).TotalMilliseconds,9:F0} ms {requests.Count - before,8:N0} storage requests"));
}

RollupRecord Row(Router.Core.Catalog.CatalogTask task, DateTimeOffset hour, string instance) => new()
{
    Task = task.Name, Hour = hour, Route = "large", Model = "large", Client = "bench", Instance = instance,
    Calls = 100, SystemTokens = 100 * 800, CallerTokens = 100 * 300, InputTokens = 100 * 1_100, OutputTokens = 100 * 20,
    CostNanoUsd = 100 * 2_950_000L, LatencySumMs = 100 * 150.0, LatencyBuckets = new long[LatencyHistogram.BucketCount],
    PromptVersion = task.PromptVersion, FirstCallAt = hour, LastCallAt = hour.AddMinutes(59),
};

static int Env(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

/// <summary>Counts storage requests (each page of a query is one).</summary>
internal sealed class CountingPolicy : HttpPipelinePolicy
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);
        return ProcessNextAsync(message, pipeline);
    }
}
