using Router.Core.Catalog;
using Router.Core.Routing;

namespace Router.Core.Distillation;

/// <summary>Everything the analyzer needs about one task: catalog facts, prices, measured usage, settings.</summary>
public sealed record DistillationInput
{
    public required string TaskName { get; init; }

    public required TaskKind Kind { get; init; }

    /// <summary>Where the catalog routes the task today; Small means it is already distilled.</summary>
    public required RouteTarget Route { get; init; }

    public required string PromptVersion { get; init; }

    /// <summary>When this prompt version was first seen; the start of its stable period.</summary>
    public required DateTimeOffset PromptVersionSince { get; init; }

    /// <summary>Captured (small-format input, large output) pairs available for training.</summary>
    public required long CapturedExamples { get; init; }

    /// <summary>Tokens of the small route's short system prompt, paid on every small call and every training example.</summary>
    public required long SmallSystemPromptTokens { get; init; }

    /// <summary>
    /// Configured prompt tax of the large route (system + examples + typical context), used only to
    /// project the large baseline when the window holds no large-route calls (a distilled task).
    /// </summary>
    public long LargePromptTaxTokens { get; init; }

    /// <summary>Few-shot examples in the large prompt (catalog), named in the prompt step's advice.</summary>
    public int ExampleCount { get; init; }

    public required DistillationModelPrices LargePrices { get; init; }

    public required DistillationModelPrices SmallPrices { get; init; }

    public required TaskUsageWindow Usage { get; init; }

    public DistillationSettings Settings { get; init; } = new();

    /// <summary>Every problem with the input, each naming the field; empty when it can be analyzed.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(TaskName))
        {
            errors.Add($"{nameof(TaskName)} must not be empty.");
        }

        if (CapturedExamples < 0)
        {
            errors.Add(FormattableString.Invariant($"{nameof(CapturedExamples)} must not be negative (was {CapturedExamples})."));
        }

        if (SmallSystemPromptTokens < 0)
        {
            errors.Add(FormattableString.Invariant($"{nameof(SmallSystemPromptTokens)} must not be negative (was {SmallSystemPromptTokens})."));
        }

        if (LargePromptTaxTokens < 0)
        {
            errors.Add(FormattableString.Invariant($"{nameof(LargePromptTaxTokens)} must not be negative (was {LargePromptTaxTokens})."));
        }

        errors.AddRange(Settings.Validate());
        errors.AddRange(LargePrices.Validate(nameof(LargePrices)));
        errors.AddRange(SmallPrices.Validate(nameof(SmallPrices)));
        errors.AddRange(Usage.Validate());
        return errors;
    }
}
