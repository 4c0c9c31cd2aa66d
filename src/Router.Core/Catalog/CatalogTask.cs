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

    /// <summary>A ceiling: a caller asking for more output is capped to it, never lifted above it.</summary>
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

    /// <summary>A local classifier's answer below this confidence cascades to large (reason low-confidence).</summary>
    public double ConfidenceThreshold { get; init; } = 0.5;

    /// <summary>The model that grades generation answers in shadow evaluation; null: token F1 decides.</summary>
    public CatalogJudge? Judge { get; init; }

    /// <summary>The output cap a call gets: the caller's, at most the task's <see cref="MaxOutputTokens"/>; the task's when the caller set none.</summary>
    public int? OutputTokenCap(int? requested) =>
        requested is { } asked && MaxOutputTokens is { } ceiling ? Math.Min(asked, ceiling) : requested ?? MaxOutputTokens;

    /// <summary>True when the caller asked for more output tokens than the task allows (the answer says so in a header).</summary>
    public bool CapsOutputTokens(int? requested) => requested > MaxOutputTokens;

    /// <summary>The deployments a call of this task may reach: its route's model, and the large one when a small answer can cascade.</summary>
    public IEnumerable<CatalogModel> ReachableModels()
    {
        yield return ModelFor(Route);
        if (Route == RouteTarget.Small && CascadeToLarge)
        {
            yield return LargeModel;
        }
    }

    /// <summary>
    /// The task as served while <paramref name="candidate"/> is promoted (Promotion/): the small route, on the
    /// candidate's model (at <paramref name="version"/>, the version promoted, for a local classifier), with the candidate's prompt (a tuned model's short one, or the full large plan for a
    /// cheaper prompted model); answers still checked and cascaded to the large model, which stays the
    /// reference the live shadow slice compares with. The one place an overridden task is built.
    /// </summary>
    public CatalogTask Promoted(CatalogCandidate candidate, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return this with
        {
            Route = RouteTarget.Small,
            SmallModel = version is null ? candidate.Model : candidate.Model with { PinnedVersion = version },
            SmallPromptIsLarge = candidate.Prompt == RouteTarget.Large,
            PromotedCandidate = candidate.Name,
        };
    }

    /// <summary>True while a candidate on the large prompt is promoted: the small route sends the full large plan.</summary>
    public bool SmallPromptIsLarge { get; init; }

    /// <summary>The promoted candidate serving the small route; null on the catalog route.</summary>
    public string? PromotedCandidate { get; init; }

    public CatalogModel ModelFor(RouteTarget target) =>
        target == RouteTarget.Small
            ? SmallModel ?? throw new InvalidOperationException($"Task '{Name}' has no small model.")
            : LargeModel;
}
