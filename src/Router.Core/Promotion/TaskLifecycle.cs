using Router.Core.Classifier;

namespace Router.Core.Promotion;

/// <summary>
/// A task's way to a cheaper route, as the report shows it: the local classifier's served version with its
/// held-out metrics, the promotion now in force (since when, by whom, why, on what evidence, and what it
/// has saved since against the large baseline) and the recent steps (promoted, restored, rolled back, with why).
/// </summary>
public sealed record TaskLifecycle
{
    /// <summary>Served by the catalog's route, nothing promoted, no classifier, no history (before the report reads any).</summary>
    public static readonly TaskLifecycle CatalogRoute = new() { RouteSource = "catalog" };

    /// <summary>catalog | override.</summary>
    public required string RouteSource { get; init; }

    /// <summary>The task's local classifier as this instance serves it; null when the task has none.</summary>
    public ClassifierLifecycle? Classifier { get; init; }

    public RouteOverride? Promoted { get; init; }

    /// <summary>Calls the promoted route served since the promotion (cascades excluded), its cost, and the saving against the large route's cost per call.</summary>
    public PromotedSavings? SincePromotion { get; init; }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<RouteOverrideEvent> History { get; init; } = [];
}

/// <summary>The served version of a task's local classifier and how it did on its held-out samples.</summary>
public sealed record ClassifierLifecycle(string Model, string? Version, DateTimeOffset? TrainedAt, int? Samples, double? HeldOutAccuracy, string? FailedVersion);

/// <summary>
/// What the promoted route served since its promotion (whole hours of the rollups from the promotion's hour,
/// minus what that hour held before): answers it kept, cascades, its own cost, and
/// <c>kept x large cost/call - cost</c>, the saving against serving every call on large.
/// </summary>
public sealed record PromotedSavings(long Served, long Cascades, decimal CostUsd, decimal? LargeCostPerCall, decimal? SavingUsd);
