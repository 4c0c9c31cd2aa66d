using Router.Core.Catalog;
using Router.Core.Routing;

namespace Router.Core.Distillation;

/// <summary>
/// The verdict for one task with every number behind it, the order of operations (steps) and the
/// one next step. A null number always has its reason in <see cref="NullReasons"/> (no-data,
/// not-cheaper, loses-at-this-volume, ...), so the JSON never carries a bare null, Infinity or NaN.
/// Letters refer to docs/distillation.md. Sections added by other evidence (shadow candidates,
/// lifecycle) go after <see cref="NextStep"/>, and refine <see cref="Steps"/> by step name.
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

    /// <summary>True until the task has W complete days of history: the figures and the verdict are extrapolated from <see cref="Basis"/>.</summary>
    public bool Provisional { get; init; }

    /// <summary>The span the figures rest on, with a sentence a person reads ("from 1.2 hours of traffic: 77 calls/h, about 1,850 calls/day").</summary>
    public UsageBasis? Basis { get; init; }

    /// <summary>What the task cost over the span, both routes (fallbacks included).</summary>
    public decimal SpendUsd { get; init; }

    /// <summary>SpendUsd / the span in days.</summary>
    public decimal SpendPerDay { get; init; }

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

    /// <summary>The prompt tax and the large model's rule-violation rate (first rung of the order of operations).</summary>
    public PromptFigures? Prompt { get; init; }

    /// <summary>The order of operations: prompt, retrieval, cheaper-model, fine-tune, each with its status and finding.</summary>
    public IReadOnlyList<OperationStep> Steps { get; init; } = [];

    /// <summary>What to do next, in one sentence with its number.</summary>
    public NextStep? NextStep { get; init; }

    /// <summary>The task's quality bar: the agreement a cheaper path's interval must reach (lower bound).</summary>
    public double QualityBar { get; init; }

    /// <summary>Shadow evidence per candidate (and the live slice of a route not served by the large model).</summary>
    public IReadOnlyList<CandidateReport> Candidates { get; init; } = [];

    /// <summary>What shadow evaluation cost in the window, all candidates (never part of the callers' spend or of V).</summary>
    public decimal EvaluationSpendUsd { get; init; }

    /// <summary>The loop: the local classifier's served version, the promotion in force with its savings since, the recent promotions, restores and rollbacks.</summary>
    public Promotion.TaskLifecycle Lifecycle { get; init; } = Promotion.TaskLifecycle.CatalogRoute;

    /// <summary>Why each null figure is null, by its JSON name; figures with a value have no entry.</summary>
    public IReadOnlyDictionary<string, NullReason> NullReasons { get; init; } = new Dictionary<string, NullReason>();
}
