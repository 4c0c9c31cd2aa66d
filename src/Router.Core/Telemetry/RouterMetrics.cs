using System.Diagnostics.Metrics;
using Router.Core.Telemetry;

namespace Router.Core;

/// <summary>Router's instruments. GenAI names follow the OpenTelemetry semantic conventions.</summary>
public static class RouterMetrics
{
    public static readonly Counter<long> Calls = RouterTelemetry.Meter.CreateCounter<long>("router.calls", "{call}", "Model calls made by the router.");

    public static readonly Counter<double> Cost = RouterTelemetry.Meter.CreateCounter<double>("router.cost", "USD", "Cost of model calls.");

    public static readonly Counter<long> Fallbacks = RouterTelemetry.Meter.CreateCounter<long>("router.fallbacks", "{call}", "Calls served by the large model after the small one failed.");

    public static readonly Counter<long> LedgerDropped = RouterTelemetry.Meter.CreateCounter<long>("router.ledger.dropped", "{record}", "Call records lost because the ledger queue was full.");

    public static readonly Counter<long> JournalFull = RouterTelemetry.Meter.CreateCounter<long>("router.ledger.journal_full", "{record}", "Call records served and queued but not journaled because the journal was full.");

    public static readonly Counter<long> JournalReplayed = RouterTelemetry.Meter.CreateCounter<long>("router.ledger.journal_replayed", "{record}", "Call records a start replayed from the journal of a process that ended without writing them.");

    public static readonly Counter<long> JournalSkipped = RouterTelemetry.Meter.CreateCounter<long>("router.ledger.journal_skipped", "{record}", "Journal records a replay could not read (a torn or damaged tail) or found expired.");

    public static readonly Counter<long> LedgerRejected = RouterTelemetry.Meter.CreateCounter<long>("router.ledger.rejected", "{record}", "Call records Table Storage refused with a non-transient error.");

    public static readonly Histogram<int> TokenUsage = RouterTelemetry.Meter.CreateHistogram<int>(
        "gen_ai.client.token.usage",
        "{token}",
        "Number of input and output tokens used.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });

    public static readonly Histogram<double> OperationDuration = RouterTelemetry.Meter.CreateHistogram<double>(
        "gen_ai.client.operation.duration",
        "s",
        "GenAI operation duration.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });

    public static readonly ObservableGauge<int> LedgerQueueDepth = RouterTelemetry.Meter.CreateObservableGauge(
        "router.ledger.queue_depth", LedgerGauges.QueueDepth, "{record}", "Call records waiting to be written to the ledger.");

    /// <summary>Fed by <see cref="DistillationGauges.Update"/> from the distillation report writer.</summary>
    public static readonly ObservableGauge<double> DistillationSavingsPerDay = RouterTelemetry.Meter.CreateObservableGauge(
        "router.distillation.savings_per_day", DistillationGauges.SavingsPerDay, "USD", "Latest daily saving per task from the distillation report (projected, or measured once distilled).");

    public static readonly ObservableGauge<double> DistillationBreakEven = RouterTelemetry.Meter.CreateObservableGauge(
        "router.distillation.break_even_calls_per_day", DistillationGauges.BreakEvenCallsPerDay, "{call}/d", "Latest break-even volume per task from the distillation report.");
}
