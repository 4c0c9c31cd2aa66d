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

    /// <summary>
    /// The evidence names (<c>{candidate}@{version}</c>, or the candidate's name when it has no versions) whose
    /// latest step in <see cref="History"/> is an automatic rollback: a new version, or an explicit promotion, clears it.
    /// </summary>
    public IReadOnlySet<string> RolledBack() =>
        History.GroupBy(h => Catalog.CatalogCandidate.Versioned(h.Candidate, h.Version), StringComparer.Ordinal)
            .Where(g => g.First().Kind == RouteOverrideEvent.RolledBack)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// A task's local classifier: its newest trained version (the one its pointer names: the candidate shadow
/// evaluation measures, and what the catalog route serves) with how it did on its held-out samples, and, while
/// a promotion is in force, the version the promoted route is pinned to (the same one, or an older one while
/// the newer is measured) with its held-out accuracy.
/// </summary>
public sealed record ClassifierLifecycle(string Model, string? Version, DateTimeOffset? TrainedAt, int? Samples, double? HeldOutAccuracy, string? FailedVersion)
{
    /// <summary>The version the promoted route serves; null on the catalog route.</summary>
    public string? PinnedVersion { get; init; }

    public double? PinnedHeldOutAccuracy { get; init; }
}

/// <summary>
/// What the promoted route served since its promotion (whole hours of the rollups from the promotion's hour,
/// minus what that hour held before): answers it kept, cascades, its own cost, and
/// <c>kept x large cost/call - cost</c>, the saving against serving every call on large.
/// </summary>
public sealed record PromotedSavings(long Served, long Cascades, decimal CostUsd, decimal? LargeCostPerCall, decimal? SavingUsd);
