namespace Router.Core.Distillation;

/// <summary>
/// What shadow evaluation measured for one candidate of a task, in the report: agreement with the
/// large model (Wilson 95% interval), invalid answers, measured cost and latency, what switching
/// would save, and what the evaluation has cost so far.
/// </summary>
public sealed record CandidateReport
{
    /// <summary>The candidate's name, or <c>live:{model}</c> for the large shadow slice of the route that model serves.</summary>
    public required string Candidate { get; init; }

    public required string Model { get; init; }

    /// <summary>large (the task's full plan on a cheaper model), small (the short prompt of a tuned model) or live (the served route, checked against a large shadow slice).</summary>
    public required string Prompt { get; init; }

    /// <summary>Shadow calls made, failed ones included.</summary>
    public required long ShadowCalls { get; init; }

    /// <summary>Samples: calls with two answers to compare.</summary>
    public required long Samples { get; init; }

    public required long Agreements { get; init; }

    /// <summary>Agreements / samples; null without samples.</summary>
    public double? AgreementRate { get; init; }

    /// <summary>Lower bound of the Wilson 95% interval.</summary>
    public required double AgreementLower { get; init; }

    /// <summary>Upper bound of the Wilson 95% interval.</summary>
    public required double AgreementUpper { get; init; }

    /// <summary>Samples whose answer broke the task's output rules, over samples; null without samples.</summary>
    public double? InvalidRate { get; init; }

    /// <summary>Mean per-sample score (token F1 for text, share of agreeing fields for JSON, 0/1 for labels).</summary>
    public double? MeanScore { get; init; }

    /// <summary>Shadow calls that failed upstream.</summary>
    public long Failures { get; init; }

    /// <summary>Measured cost per answered shadow call.</summary>
    public decimal? CostPerCall { get; init; }

    public double? LatencyP50Ms { get; init; }

    public double? LatencyP95Ms { get; init; }

    /// <summary>If the task switched to this candidate: V x (c_L - measured cost/call) - the candidate's hosting per day. Null for the live slice or without figures.</summary>
    public decimal? ProjectedSavingPerDay { get; init; }

    /// <summary>Judge calls that graded this candidate's answers (their cost is part of <see cref="EvaluationSpendUsd"/>); 0 without a judge.</summary>
    public long JudgeCalls { get; init; }

    /// <summary>What this candidate's shadow calls, and the judge calls grading them, have cost in the window (evaluation spend).</summary>
    public required decimal EvaluationSpendUsd { get; init; }

    /// <summary>The interval's lower bound is at or above the task's quality bar.</summary>
    public required bool MeetsBar { get; init; }

    /// <summary>The rule rolled this candidate (this version) back, and nobody promoted it since: never advised again; a new version is a new candidate.</summary>
    public bool RolledBack { get; init; }

    /// <summary>Further samples for an interval of the configured half-width (±3% by default); 0 when there are enough.</summary>
    public required long MoreSamplesNeeded { get; init; }
}
