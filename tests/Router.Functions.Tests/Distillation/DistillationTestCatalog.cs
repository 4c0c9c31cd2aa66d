using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Router.Core;
using Router.Core.Distillation.Samples;
using Router.Core.Ledger;

namespace Router.Functions.Tests.Distillation;

/// <summary>
/// A catalog made for the distillation scenarios, with its own RouterRollups/RouterSamples/RouterReports
/// table names per test so seeded rows never meet another test's. Prices are the published ones the
/// analyzer tests use: gpt-4o 2.50 / 1.25 / 10.00 per 1M, fine-tuned gpt-4o-mini 0.30 / 0.15 / 1.20,
/// training 3.00 per 1M, hosting 1.70 USD/hour.
/// </summary>
internal static class DistillationTestCatalog
{
    public const string LargeSystem = "You triage customer support tickets. Answer with the queue label only.";
    public const string SmallSystem = "Triage the ticket.";

    public static Dictionary<string, string?> Settings(string storageConnection, string tableSuffix, DateOnly smallRetiresOn)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Router:Storage:ConnectionString"] = storageConnection,
            ["Router:Storage:RollupsTable"] = "Rollups" + tableSuffix,
            ["Router:Storage:SamplesTable"] = "Samples" + tableSuffix,
            ["Router:Storage:ReportsTable"] = "Reports" + tableSuffix,
            ["Router:Storage:CallsTable"] = "Calls" + tableSuffix,
            ["Router:Distillation:MinimumExamples"] = "20",
            ["Router:Distillation:WebhookRetryDelay"] = "00:00:00.050",
        };
        AddModel(settings, "large", "gpt-4o", "2.50", "1.25", "10.00", "0", "0", retiresOn: null);
        AddModel(settings, "small", "gpt-4o-mini-ft", "0.30", "0.15", "1.20", "1.70", "3.00", retiresOn: null);
        AddModel(settings, "small-retiring", "gpt-4o-mini-ft-old", "0.30", "0.15", "1.20", "1.70", "3.00", smallRetiresOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        AddTask(settings, "ready", "classification", "large", "small");
        AddTask(settings, "low-volume", "classification", "large", "small");
        AddTask(settings, "few-examples", "classification", "large", "small");
        AddTask(settings, "knowledge", "knowledge", "large", "small");
        AddTask(settings, "retiring", "classification", "large", "small-retiring");
        AddTask(settings, "distilled", "classification", "small", "small");
        AddTask(settings, "no-small", "generation", "large", small: null);
        return settings;
    }

    /// <summary>The router's services (no host started), with the given clock: what the timer and the run endpoint call.</summary>
    public static ServiceProvider Services(IDictionary<string, string?> settings, TimeProvider clock)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(clock);
        services.AddRouterCore(configuration);
        return services.BuildServiceProvider();
    }

    public static TableClient Table(string connection, string name)
    {
        var table = new TableServiceClient(connection).GetTableClient(name);
        table.CreateIfNotExists();
        return table;
    }

    /// <summary>One rollup row per day and instance at 12:00, the day's calls split evenly over the instances.</summary>
    public static async Task SeedDailyAsync(TableClient rollups, string task, string route, string model, DateOnly first, int days, long callsPerDay, PerCall perCall, string promptVersion, int instances = 2, long escalationsPerDay = 0, long fallbacksPerDay = 0)
    {
        for (var d = 0; d < days; d++)
        {
            var hour = new DateTimeOffset(first.AddDays(d).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
            var actions = new List<TableTransactionAction>();
            for (var i = 0; i < instances; i++)
            {
                var calls = callsPerDay / instances;
                var rollup = new RollupRecord
                {
                    Task = task,
                    Hour = hour,
                    Route = route,
                    Model = model,
                    Client = "caller-a",
                    Instance = "instance-" + i,
                    Calls = calls,
                    Escalations = escalationsPerDay / instances,
                    Fallbacks = fallbacksPerDay / instances,
                    SystemTokens = calls * perCall.System,
                    ExamplesTokens = calls * perCall.Examples,
                    CallerTokens = calls * perCall.Caller,
                    OutputTokens = calls * perCall.Output,
                    InputTokens = calls * (perCall.System + perCall.Examples + perCall.Caller),
                    CostNanoUsd = calls * perCall.CostNanoUsd,
                    LatencyBuckets = new long[LatencyHistogram.BucketCount],
                    PromptVersion = promptVersion,
                };
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, RollupEntity.ToEntity(rollup)));
            }

            await rollups.SubmitTransactionAsync(actions);
        }
    }

    public static async Task SeedSamplesAsync(TableClient samples, string task, string promptVersion, int count, int shardCount = 4)
    {
        foreach (var chunk in Enumerable.Range(0, count).Chunk(50))
        {
            foreach (var partition in chunk.Select(i => Sample(task, promptVersion, i)).GroupBy(s => SampleKeys.Partition(s.Task, s.InputHash, shardCount)))
            {
                await samples.SubmitTransactionAsync(partition.Select(s => new TableTransactionAction(TableTransactionActionType.UpsertReplace, SampleEntity.ToEntity(s, shardCount))));
            }
        }
    }

    private static TrainingSample Sample(string task, string promptVersion, int i)
    {
        var messages = new[] { new Router.Core.Routing.CallerMessage("system", SmallSystem), new Router.Core.Routing.CallerMessage("user", $"ticket {i} of {promptVersion}") };
        return new TrainingSample
        {
            Task = task,
            InputHash = SampleKeys.InputHash(messages),
            CallId = "seed-" + i,
            CapturedAt = DateTimeOffset.UnixEpoch,
            PromptVersion = promptVersion,
            Model = "large",
            Messages = messages,
            Output = "billing",
        };
    }

    private static void AddModel(Dictionary<string, string?> s, string name, string deployment, string input, string cached, string output, string hosting, string training, string? retiresOn)
    {
        var p = $"Router:Models:{name}:";
        s[p + "Kind"] = "azure-openai";
        s[p + "Endpoint"] = "http://127.0.0.1:9/";
        s[p + "Deployment"] = deployment;
        s[p + "ApiKey"] = "unused";
        s[p + "Prices:InputPerMillion"] = input;
        s[p + "Prices:CachedInputPerMillion"] = cached;
        s[p + "Prices:OutputPerMillion"] = output;
        s[p + "Prices:HostingPerHour"] = hosting;
        s[p + "Prices:TrainingPerMillion"] = training;
        s[p + "Prices:EffectiveDate"] = "2024-10-01";
        s[p + "Prices:RetiresOn"] = retiresOn;
    }

    private static void AddTask(Dictionary<string, string?> s, string name, string kind, string route, string? small)
    {
        var p = $"Router:Tasks:{name}:";
        s[p + "Kind"] = kind;
        s[p + "Route"] = route;
        s[p + "Large:Model"] = "large";
        s[p + "Large:System"] = LargeSystem;
        if (small is not null)
        {
            s[p + "Small:Model"] = small;
            s[p + "Small:System"] = SmallSystem;
        }
    }
}

/// <summary>Tokens and cost of one call, as the rollups add them up.</summary>
internal sealed record PerCall(long System, long Examples, long Caller, long Output, long CostNanoUsd);
