using System.Text.Json.Serialization;
using Azure;

namespace Router.Core.Promotion;

/// <summary>
/// A task's promoted route (RouterRouteOverrides, row <c>current</c>): the candidate that serves the task
/// instead of its catalog route, who promoted it, when, why, whether the quality bar was waived, and the
/// evidence at the time. Every instance applies it within <see cref="RouteOverrideOptions.RefreshInterval"/>.
/// </summary>
public sealed record RouteOverride
{
    public required string Task { get; init; }

    public required string Candidate { get; init; }

    /// <summary>The candidate's model (catalog name).</summary>
    public required string Model { get; init; }

    /// <summary>The model's version at promotion (a local classifier's trained version); null for a deployment.</summary>
    public string? Version { get; init; }

    public required string PromotedBy { get; init; }

    public required DateTimeOffset PromotedAt { get; init; }

    public required string Reason { get; init; }

    /// <summary>Promoted with <c>force: true</c> although the evidence did not meet the bar.</summary>
    public bool Forced { get; init; }

    public required PromotionEvidence Evidence { get; init; }

    /// <summary>What storage already counted in the promotion's first hour when it began (rollups are hourly), so the rule judges only what came after.</summary>
    public PromotionBaseline Baseline { get; init; } = PromotionBaseline.None;

    /// <summary>The stored row's ETag: a rollback removes exactly this promotion, never a newer one.</summary>
    [JsonIgnore]
    public ETag ETag { get; init; }
}

/// <summary>The candidate's shadow evidence when it was promoted: agreement with the large model (Wilson 95%), cost per call, the bar it was held to.</summary>
public sealed record PromotionEvidence(long Samples, long Agreements, double AgreementRate, double AgreementLower, double AgreementUpper, decimal? CostPerCall, double QualityBar);

/// <summary>
/// Counts already in the promotion hour's rows at promotion time: the live slice's samples and agreements
/// (an earlier promotion of the same version in that hour) and the route's calls and cascades on the model.
/// </summary>
public sealed record PromotionBaseline(long LiveSamples, long LiveAgreements, long RouteCalls, long RouteCascades)
{
    public static readonly PromotionBaseline None = new(0, 0, 0, 0);
}
