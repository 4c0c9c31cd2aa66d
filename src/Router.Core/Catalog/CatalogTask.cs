using Router.Core.Routing;

namespace Router.Core.Catalog;

/// <summary>A validated task: where it goes, the prompts for each target and the rules its output must follow.</summary>
public sealed record CatalogTask
{
    public required string Name { get; init; }

    public required TaskKind Kind { get; init; }

    public required RouteTarget Route { get; init; }

    public string? Description { get; init; }

    public required CatalogModel LargeModel { get; init; }

    /// <summary>The large route's system prompt, output rules included.</summary>
    public required string LargeSystem { get; init; }

    public required IReadOnlyList<FewShotExample> Examples { get; init; }

    public double? Temperature { get; init; }

    public CatalogModel? SmallModel { get; init; }

    /// <summary>The small route's short system prompt, output rules included.</summary>
    public string? SmallSystem { get; init; }

    public required OutputRule Output { get; init; }

    public bool CascadeToLarge { get; init; }

    public double CaptureRate { get; init; }

    public int? MaxOutputTokens { get; init; }

    /// <summary>Hash of the prompt template; changes whenever a prompt, an example or an output rule changes.</summary>
    public required string PromptVersion { get; init; }

    public required int LargeSystemTokens { get; init; }

    public required int ExamplesTokens { get; init; }

    public int SmallSystemTokens { get; init; }

    /// <summary>Cheaper paths under shadow evaluation, by name.</summary>
    public IReadOnlyList<CatalogCandidate> Candidates { get; init; } = [];

    /// <summary>Agreement the lower bound of a cheaper path's 95% interval must reach.</summary>
    public double QualityBar { get; init; } = 0.95;

    /// <summary>Share of calls served by anything but the large model that are also sent to the large model.</summary>
    public double LargeShadowRate { get; init; }

    public decimal LargeShadowDailyBudgetUsd { get; init; }

    /// <summary>The model that grades generation answers in shadow evaluation; null: token F1 decides.</summary>
    public CatalogJudge? Judge { get; init; }

    public CatalogModel ModelFor(RouteTarget target) =>
        target == RouteTarget.Small
            ? SmallModel ?? throw new InvalidOperationException($"Task '{Name}' has no small model.")
            : LargeModel;
}
