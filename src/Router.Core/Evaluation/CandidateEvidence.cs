namespace Router.Core.Evaluation;

/// <summary>
/// What shadow evaluation measured for one candidate of one task over a window, added up over every
/// instance and hour. The public evaluation API: the report, promotion and rollback read this.
/// </summary>
public sealed record CandidateEvidence
{
    public required string Task { get; init; }

    /// <summary>The candidate's name, or <c>live:{model}</c> for the large shadow slice of a route served by that model.</summary>
    public required string Candidate { get; init; }

    /// <summary>The model the shadow calls went to.</summary>
    public required string Model { get; init; }

    /// <summary>Shadow calls made, failed ones included.</summary>
    public required long Calls { get; init; }

    public required long Failures { get; init; }

    /// <summary>Samples: calls with two answers to compare.</summary>
    public required long Samples { get; init; }

    public required long Valid { get; init; }

    public required long Agreements { get; init; }

    /// <summary>Agreement rate with its Wilson 95% interval.</summary>
    public required AgreementInterval Agreement { get; init; }

    /// <summary>Samples whose candidate answer broke the output rules, over samples; null without samples.</summary>
    public double? InvalidRate { get; init; }

    /// <summary>Mean per-sample score (token F1 for text, field share for JSON, 0/1 for labels); null without samples.</summary>
    public double? MeanScore { get; init; }

    /// <summary>Evaluation spend: the shadow calls' exact cost.</summary>
    public required decimal CostUsd { get; init; }

    /// <summary>Judge calls that graded this candidate's answers and their cost (evaluation spend beside <see cref="CostUsd"/>).</summary>
    public long JudgeCalls { get; init; }

    public decimal JudgeCostUsd { get; init; }

    /// <summary>Measured cost per answered shadow call; null when none answered.</summary>
    public decimal? CostPerCall { get; init; }

    public double? LatencyP50Ms { get; init; }

    public double? LatencyP95Ms { get; init; }

    public static CandidateEvidence From(string task, string candidate, string model, ShadowRollupTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var answered = totals.Calls - totals.Failures;
        return new CandidateEvidence
        {
            Task = task,
            Candidate = candidate,
            Model = model,
            Calls = totals.Calls,
            Failures = totals.Failures,
            Samples = totals.Scored,
            Valid = totals.Valid,
            Agreements = totals.Agreements,
            Agreement = AgreementInterval.Wilson(totals.Agreements, totals.Scored),
            InvalidRate = totals.Scored > 0 ? (double)(totals.Scored - totals.Valid) / totals.Scored : null,
            MeanScore = totals.Scored > 0 ? totals.ScoreSum / totals.Scored : null,
            CostUsd = totals.CostUsd,
            JudgeCalls = totals.JudgeCalls,
            JudgeCostUsd = totals.JudgeCostUsd,
            CostPerCall = answered > 0 ? totals.CostUsd / answered : null,
            LatencyP50Ms = totals.Percentile(0.50),
            LatencyP95Ms = totals.Percentile(0.95),
        };
    }
}
