using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Catalog;
using Router.Core.Distillation.Samples;

namespace Router.Core.Distillation.Reporting;

/// <summary>
/// Computes the report for every task of the catalog (rollups + captured examples + catalog prices
/// -> analyzer), stores it in RouterReports, logs one line per task, updates the gauges and posts it
/// to the webhook. A task is reported as served now (a promoted candidate's route while one is promoted). The timer and POST /api/distillation/run both call <see cref="RunAsync"/>.
/// </summary>
public sealed partial class DistillationReportService(
    TaskCatalog catalog,
    RollupUsageReader rollups,
    SampleStore samples,
    DistillationReportStore store,
    DistillationWebhook webhook,
    Evaluation.ShadowEvidenceReader shadows,
    Promotion.RouteOverrides overrides,
    Promotion.TaskLifecycleReader lifecycle,
    IOptions<Evaluation.ShadowOptions> shadowOptions,
    IOptions<DistillationOptions> options,
    TimeProvider time,
    ILogger<DistillationReportService> logger)
{
    /// <summary>Tasks read at once: enough to hide storage latency, few enough to stay polite to the account.</summary>
    private const int Parallelism = 4;

    private readonly DistillationAnalyzer _analyzer = new(time);

    public async Task<(DistillationRun Run, bool? WebhookDelivered)> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.ToSettings();
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var windowEnd = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var windowStart = windowEnd.AddDays(-settings.WindowDays);

        var tasks = catalog.Tasks;
        var reports = new DistillationReport[tasks.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, tasks.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => reports[i] = await AnalyzeAsync(overrides.Apply(tasks[i]), settings, windowStart, windowEnd, now, ct));

        var run = new DistillationRun
        {
            GeneratedAt = now,
            WindowStart = DateOnly.FromDateTime(windowStart.UtcDateTime),
            WindowEnd = today,
            WindowDays = settings.WindowDays,
            Reports = reports,
        };
        await store.SaveAsync(run, cancellationToken);

        if (logger.IsEnabled(LogLevel.Information))
        {
            foreach (var report in reports)
            {
                var verdict = report.Verdict.ToWireName();
                var savings = report.MeasuredSavingsPerDay ?? report.DailySaving;
                LogTaskReport(logger, report.Task, verdict, report.CallsPerDay, report.BreakEvenCallsPerDay, savings, report.PaybackDays);
            }
        }

        DistillationMetrics.Record(reports);
        var delivered = await webhook.DeliverAsync(run, cancellationToken);
        return (run, delivered);
    }

    public Task<DistillationRun?> LatestAsync(CancellationToken cancellationToken) => store.LatestAsync(time.GetUtcNow(), cancellationToken);

    private async Task<DistillationReport> AnalyzeAsync(CatalogTask task, DistillationSettings settings, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var summary = await rollups.ReadAsync(task.Name, task.PromptVersion, windowStart, windowEnd, now, cancellationToken);
        var examples = await samples.CountEligibleAsync(task.Name, task.PromptVersion, cancellationToken);
        var small = task.SmallModel ?? DefaultSmallModel();
        var report = small is null
            ? DistillationInputMapper.NoSmallModel(task, summary, examples, settings, now)
            : _analyzer.Analyze(DistillationInputMapper.Map(task, small, summary, examples, settings));

        // Shadow evidence up to now (today's hours included): cost alone never decides a switch.
        var evidence = await shadows.ReadAsync(windowStart, now.AddHours(1), task.Name, cancellationToken);
        // A version the rule rolled back is not advised again (no flapping): the lifecycle's history says which.
        var life = await lifecycle.ReadAsync(task, report.LargeCostPerCall, cancellationToken);
        report = Evaluation.ShadowVerdicts.Apply(report, task, evidence, shadowOptions.Value.TargetHalfWidth, life.RolledBack());
        return report with { Lifecycle = life };
    }

    private CatalogModel? DefaultSmallModel() =>
        options.Value.DefaultSmallModel is { Length: > 0 } name
            ? catalog.Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
            : null;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Distillation {Task}: {Verdict}; V={CallsPerDay} calls/day, V*={BreakEvenCallsPerDay} calls/day, G={SavingsPerDay} USD/day, P={PaybackDays} days")]
    private static partial void LogTaskReport(ILogger logger, string task, string verdict, decimal callsPerDay, decimal? breakEvenCallsPerDay, decimal? savingsPerDay, decimal? paybackDays);
}
