using Router.Core.Catalog;
using Router.Core.Routing;

namespace Router.Core.Distillation;

/// <summary>
/// The verdict for one task with every number behind it. Nullable numbers mean "unknown or never"
/// (no calls to measure, no payback), so the JSON never carries Infinity or NaN.
/// Letters refer to docs/distillation.md.
/// </summary>
public sealed record DistillationReport
{
    public required string Task { get; init; }

    public required TaskKind Kind { get; init; }

    public required RouteTarget Route { get; init; }

    public required string PromptVersion { get; init; }

    public required DistillationVerdict Verdict { get; init; }

    /// <summary>Why, in numbers; every missing condition is listed, not just the first.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }

    public required DistillationReadiness Readiness { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>W.</summary>
    public required int WindowDays { get; init; }

    /// <summary>V: calls per day over both routes.</summary>
    public required decimal CallsPerDay { get; init; }

    /// <summary>c_L.</summary>
    public decimal? LargeCostPerCall { get; init; }

    /// <summary>Whether c_L was measured from large-route calls or projected from prices.</summary>
    public CostBasis? LargeCostBasis { get; init; }

    /// <summary>c_S (projected from tokens and the small model's prices).</summary>
    public decimal? SmallCostPerCall { get; init; }

    /// <summary>Mean system + examples + context tokens per large call.</summary>
    public decimal? PromptTaxTokensPerCall { get; init; }

    public decimal? CallerInputTokensPerCall { get; init; }

    public decimal? OutputTokensPerCall { get; init; }

    /// <summary>T.</summary>
    public decimal? TrainingCost { get; init; }

    /// <summary>U.</summary>
    public required decimal UpkeepCost { get; init; }

    /// <summary>F = T + U.</summary>
    public decimal? FixedCost { get; init; }

    /// <summary>H.</summary>
    public required decimal HostingPerDay { get; init; }

    /// <summary>R; zero or negative when the small model is already retired.</summary>
    public required int UsefulLifeDays { get; init; }

    /// <summary>G.</summary>
    public decimal? DailySaving { get; init; }

    /// <summary>P; null when it never pays back (G &lt;= 0) or cannot be computed.</summary>
    public decimal? PaybackDays { get; init; }

    /// <summary>V*; null when no volume makes it pay (c_L &lt;= c_S, or retired).</summary>
    public decimal? BreakEvenCallsPerDay { get; init; }

    public required long CapturedExamples { get; init; }

    public required int PromptStableDays { get; init; }

    /// <summary>Distilled only: small-route cost sum / small calls.</summary>
    public decimal? MeasuredSmallCostPerCall { get; init; }

    /// <summary>Distilled only: small calls/day x (c_L - measured small cost/call) - H.</summary>
    public decimal? MeasuredSavingsPerDay { get; init; }

    /// <summary>Distilled only: escalations / small calls.</summary>
    public decimal? CascadeRate { get; init; }
}
