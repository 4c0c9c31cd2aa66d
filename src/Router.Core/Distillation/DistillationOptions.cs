namespace Router.Core.Distillation;

/// <summary>
/// The <c>Router:Distillation</c> section: the economics' knobs (<see cref="DistillationSettings"/>)
/// plus the wiring around them (schedule, webhook, sample capture). Settable properties so the
/// configuration binder can fill it; validated at start by <see cref="DistillationOptionsValidator"/>.
/// </summary>
public sealed class DistillationOptions
{
    public const string SectionName = "Router:Distillation";

    /// <summary>The timer's NCRONTAB default (six fields, seconds first): daily at 06:00 UTC.</summary>
    public const string DefaultSchedule = "0 0 6 * * *";

    public int WindowDays { get; set; } = 14;

    public int Epochs { get; set; } = 3;

    public int TrainingExamples { get; set; } = 1_000;

    public decimal UpkeepUsdPerRetrain { get; set; } = 500m;

    public int RetrainIntervalDays { get; set; } = 90;

    public int MinimumExamples { get; set; } = 500;

    public int MinimumPromptStableDays { get; set; } = 7;

    public decimal RuleViolationRateToAct { get; set; } = 0.02m;

    public int MinimumAnswersForRuleRate { get; set; } = 20;

    public decimal PromptPartShareToAct { get; set; } = 0.4m;

    /// <summary>NCRONTAB schedule of the report timer; the timer reads it as <c>%Router:Distillation:Schedule%</c>.</summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>Where to POST each report as JSON; empty for none.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Deadline for delivering the report to the webhook, retries included.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after a failed webhook attempt (5xx, 408, 429, network error, attempt timeout).</summary>
    public int WebhookMaxRetries { get; set; } = 3;

    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// After each scheduled report, train the local classifier of every classification task whose verdict is
    /// distill-now (and which has a local-classifier model); the new version is shadowed as a candidate at once.
    /// Off by default: training is then started by a person (POST /api/distillation/{task}/train).
    /// </summary>
    public bool AutoTrain { get; set; }

    /// <summary>
    /// Candidate small model (a name under <c>Router:Models</c>) for tasks without a Small section;
    /// empty means such tasks are reported not-eligible ("no small deployment configured").
    /// </summary>
    public string? DefaultSmallModel { get; set; }

    /// <summary>Largest captured example (small-format prompt + large output, UTF-8 bytes); larger ones are skipped.</summary>
    public int MaxSampleBytes { get; set; } = 32_000;

    /// <summary>Partitions per task in RouterSamples (<c>{task}-{shard}</c>).</summary>
    public int SampleShardCount { get; set; } = 4;

    /// <summary>Captured examples held in memory waiting for the writer; when full, new ones are dropped (counted), the call is not slowed.</summary>
    public int SampleQueueCapacity { get; set; } = 1_000;

    /// <summary>How far back before the window the report looks for the start of the current prompt version.</summary>
    public int PromptHistoryDays { get; set; } = 90;

    public DistillationSettings ToSettings() => new()
    {
        WindowDays = WindowDays,
        Epochs = Epochs,
        TrainingExamples = TrainingExamples,
        UpkeepUsdPerRetrain = UpkeepUsdPerRetrain,
        RetrainIntervalDays = RetrainIntervalDays,
        MinimumExamples = MinimumExamples,
        MinimumPromptStableDays = MinimumPromptStableDays,
        RuleViolationRateToAct = RuleViolationRateToAct,
        MinimumAnswersForRuleRate = MinimumAnswersForRuleRate,
        PromptPartShareToAct = PromptPartShareToAct,
    };
}
