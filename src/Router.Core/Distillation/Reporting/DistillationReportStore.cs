using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Router.Core.Ledger;

namespace Router.Core.Distillation.Reporting;

/// <summary>
/// RouterReports: PartitionKey <c>{yyyyMMdd}</c> (the run's UTC day), RowKey <c>{task}</c>. The report
/// JSON is in <c>Report</c>; key numbers are columns too, so a person can filter in Storage Explorer.
/// A second run on the same day replaces that day's rows (upsert), so reruns are idempotent.
/// </summary>
public sealed class DistillationReportStore(TableServiceClient service, IOptions<StorageOptions> storage)
{
    /// <summary>How far back "latest" looks with a range query before scanning the whole (small) table.</summary>
    private const int RecentDays = 62;

    private static readonly string[] KeyColumns = ["PartitionKey"];

    private readonly TableClient _reports = service.GetTableClient(storage.Value.ReportsTable);
    private bool _created;

    public static string Partition(DateTimeOffset generatedAt) => generatedAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static TableEntity ToEntity(DistillationRun run, DistillationReport report)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(report);
        var entity = new TableEntity(Partition(run.GeneratedAt), report.Task)
        {
            ["Report"] = JsonSerializer.Serialize(report, DistillationJson.Options),
            ["GeneratedAt"] = run.GeneratedAt,
            ["WindowStart"] = run.WindowStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["WindowDays"] = run.WindowDays,
            ["Verdict"] = report.Verdict.ToWireName(),
            ["Route"] = report.Route.ToString().ToLowerInvariant(),
            ["PromptVersion"] = report.PromptVersion,
            ["CallsPerDay"] = (double)report.CallsPerDay,
            ["CapturedExamples"] = report.CapturedExamples,
            ["PromptStableDays"] = report.PromptStableDays,
            ["Provisional"] = report.Provisional,
            ["SpendPerDay"] = (double)report.SpendPerDay,
        };
        if (report.NextStep is { } next)
        {
            entity["NextStep"] = next.Sentence;
        }

        AddIfKnown(entity, "BreakEvenCallsPerDay", report.BreakEvenCallsPerDay);
        AddIfKnown(entity, "DailySaving", report.DailySaving);
        AddIfKnown(entity, "PaybackDays", report.PaybackDays);
        AddIfKnown(entity, "LargeCostPerCall", report.LargeCostPerCall);
        AddIfKnown(entity, "SmallCostPerCall", report.SmallCostPerCall);
        AddIfKnown(entity, "MeasuredSavingsPerDay", report.MeasuredSavingsPerDay);
        return entity;
    }

    public async Task SaveAsync(DistillationRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!_created)
        {
            await _reports.CreateIfNotExistsAsync(cancellationToken);
            _created = true;
        }

        // One partition per run: tasks go in entity-group transactions of up to 100 rows.
        foreach (var chunk in run.Reports.Chunk(TableCallLedger.MaxBatchSize))
        {
            var actions = chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(run, r))).ToList();
            await _reports.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    /// <summary>The reports of the most recent day that has any, or null when no report was ever stored.</summary>
    public async Task<DistillationRun?> LatestAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recent = Partition(now.AddDays(-RecentDays));
        var latest = await MaxPartitionAsync(TableClient.CreateQueryFilter($"PartitionKey ge {recent}"), cancellationToken)
            ?? await MaxPartitionAsync(filter: null, cancellationToken);
        if (latest is null)
        {
            return null;
        }

        var reports = new List<DistillationReport>();
        DateTimeOffset generatedAt = default;
        var windowStart = default(DateOnly);
        var windowDays = 0;
        await foreach (var entity in _reports.QueryOrEmptyAsync(TableClient.CreateQueryFilter($"PartitionKey eq {latest}"), select: null, cancellationToken))
        {
            var report = JsonSerializer.Deserialize<DistillationReport>(entity.GetString("Report"), DistillationJson.Options)!;
            reports.Add(report);
            // Reruns on one day replace rows task by task; the newest run's stamp is the run's.
            if (report.GeneratedAt >= generatedAt)
            {
                generatedAt = report.GeneratedAt;
                windowDays = entity.GetInt32("WindowDays") ?? report.WindowDays;
                windowStart = DateOnly.ParseExact(entity.GetString("WindowStart") ?? "0001-01-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
        }

        return new DistillationRun
        {
            GeneratedAt = generatedAt,
            WindowStart = windowStart,
            WindowEnd = windowStart.AddDays(windowDays),
            WindowDays = windowDays,
            Reports = reports.OrderBy(r => r.Task, StringComparer.Ordinal).ToArray(),
        };
    }

    private async Task<string?> MaxPartitionAsync(string? filter, CancellationToken cancellationToken)
    {
        string? max = null;
        await foreach (var entity in _reports.QueryOrEmptyAsync(filter, KeyColumns, cancellationToken))
        {
            if (max is null || string.CompareOrdinal(entity.PartitionKey, max) > 0)
            {
                max = entity.PartitionKey;
            }
        }

        return max;
    }

    private static void AddIfKnown(TableEntity entity, string column, decimal? value)
    {
        if (value is { } known)
        {
            entity[column] = (double)known;
        }
    }
}
