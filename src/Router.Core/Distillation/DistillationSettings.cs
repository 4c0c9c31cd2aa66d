namespace Router.Core.Distillation;

/// <summary>
/// The knobs of the economics and readiness rules. Init properties with defaults so the
/// options layer can bind it from configuration and override only what differs.
/// </summary>
public sealed record DistillationSettings
{
    /// <summary>W: trailing window of complete days the usage is read over.</summary>
    public int WindowDays { get; init; } = 14;

    /// <summary>Passes over the training set; multiplies the training tokens.</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>Examples in one training set; multiplies the training tokens.</summary>
    public int TrainingExamples { get; init; } = 1_000;

    /// <summary>U: evaluation and upkeep per (re)training, USD (people's time, eval runs).</summary>
    public decimal UpkeepUsdPerRetrain { get; init; } = 500m;

    /// <summary>How often the small model is retrained; the most a training run can pay off over.</summary>
    public int RetrainIntervalDays { get; init; } = 90;

    /// <summary>Captured (input, large output) pairs needed before distilling is worth trying.</summary>
    public int MinimumExamples { get; init; } = 500;

    /// <summary>Days the large prompt must stay unchanged: a moving behaviour is not worth freezing.</summary>
    public int MinimumPromptStableDays { get; init; } = 7;

    /// <summary>Share of large answers breaking the output rules at which the prompt step says "fix the format first" (1 in 50).</summary>
    public decimal RuleViolationRateToAct { get; init; } = 0.02m;

    /// <summary>Large answers needed before the rule-violation rate is trusted.</summary>
    public int MinimumAnswersForRuleRate { get; init; } = 20;

    /// <summary>Share of input tokens the few-shot examples (or the system prompt) must reach before trimming them is the next step.</summary>
    public decimal PromptPartShareToAct { get; init; } = 0.4m;

    /// <summary>One error per bad setting, each naming the setting and its value.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        AtLeast(errors, nameof(WindowDays), WindowDays, 1);
        AtLeast(errors, nameof(Epochs), Epochs, 1);
        AtLeast(errors, nameof(TrainingExamples), TrainingExamples, 1);
        AtLeast(errors, nameof(UpkeepUsdPerRetrain), UpkeepUsdPerRetrain, 0);
        AtLeast(errors, nameof(RetrainIntervalDays), RetrainIntervalDays, 1);
        AtLeast(errors, nameof(MinimumExamples), MinimumExamples, 0);
        AtLeast(errors, nameof(MinimumPromptStableDays), MinimumPromptStableDays, 0);
        Between(errors, nameof(RuleViolationRateToAct), RuleViolationRateToAct, 0, 1);
        AtLeast(errors, nameof(MinimumAnswersForRuleRate), MinimumAnswersForRuleRate, 1);
        Between(errors, nameof(PromptPartShareToAct), PromptPartShareToAct, 0, 1);
        return errors;
    }

    private static void Between(List<string> errors, string name, decimal value, decimal minimum, decimal maximum)
    {
        if (value < minimum || value > maximum)
        {
            errors.Add(FormattableString.Invariant($"{name} must be from {minimum} to {maximum} (was {value})."));
        }
    }

    private static void AtLeast(List<string> errors, string name, decimal value, decimal minimum)
    {
        if (value < minimum)
        {
            errors.Add(FormattableString.Invariant($"{name} must be at least {minimum} (was {value})."));
        }
    }
}
