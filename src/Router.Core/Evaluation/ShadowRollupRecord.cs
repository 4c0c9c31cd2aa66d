using Router.Core.Ledger;

namespace Router.Core.Evaluation;

/// <summary>
/// One row of RouterShadowRollups: what one router instance's shadow calls to one candidate of one
/// task showed in one UTC hour. Like RouterRollups, each instance writes only its own rows and
/// readers add them up.
/// </summary>
public sealed record ShadowRollupRecord
{
    public required string Task { get; init; }

    public required DateTimeOffset Hour { get; init; }

    /// <summary>The candidate's name, or <c>live:{model}</c> for the large shadow slice of a route served by that model.</summary>
    public required string Candidate { get; init; }

    public required string Instance { get; init; }

    /// <summary>The model the shadow calls went to (the candidate's, or the large model for a live slice).</summary>
    public required string Model { get; init; }

    /// <summary>Shadow calls made (failed ones included): each one is a RouterCalls row with status shadow.</summary>
    public long Calls { get; init; }

    /// <summary>Shadow calls that failed upstream (no answer to score).</summary>
    public long Failures { get; init; }

    /// <summary>Samples: calls with two answers to compare.</summary>
    public long Scored { get; init; }

    /// <summary>Samples whose candidate answer followed the task's output rules.</summary>
    public long Valid { get; init; }

    /// <summary>Samples whose candidate answer agreed with the large model's.</summary>
    public long Agreements { get; init; }

    /// <summary>Sum of the per-sample scores (token F1 for text, field share for JSON, 0/1 for labels).</summary>
    public double ScoreSum { get; init; }

    /// <summary>Exact sum of the shadow calls' cost, in nano-dollars: evaluation spend.</summary>
    public long CostNanoUsd { get; init; }

    /// <summary>Input tokens of the candidate's answers, summed (for the cost per call of a switch).</summary>
    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    /// <summary>Sum of the shadow calls' upstream latency.</summary>
    public double LatencySumMs { get; init; }

    /// <summary>Judge calls that graded the candidate's answers, and their cost (evaluation spend).</summary>
    public long JudgeCalls { get; init; }

    public long JudgeCostNanoUsd { get; init; }

    /// <summary>Counts per <see cref="LatencyHistogram"/> bucket of the shadow calls' upstream latency.</summary>
    public required IReadOnlyList<long> LatencyBuckets { get; init; }

    public decimal CostUsd => CostNanoUsd / CallRecordEntity.NanoPerUsd;
}
