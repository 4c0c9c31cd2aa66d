namespace Router.Core.Routing;

/// <summary>
/// Generation parameters the caller chose that a model honours as given (OpenAI's names in
/// brackets): passed through to the upstream call unchanged. The task's own settings (its
/// temperature, its output cap) are applied by the plan, not here.
/// </summary>
public sealed record SamplingOptions
{
    public static readonly SamplingOptions None = new();

    /// <summary>[top_p] 0..1.</summary>
    public double? TopP { get; init; }

    /// <summary>[stop] at most 4 sequences.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>[seed]</summary>
    public long? Seed { get; init; }

    /// <summary>[presence_penalty] -2..2.</summary>
    public double? PresencePenalty { get; init; }

    /// <summary>[frequency_penalty] -2..2.</summary>
    public double? FrequencyPenalty { get; init; }

    /// <summary>[logit_bias] token id to bias, -100..100.</summary>
    public IReadOnlyDictionary<int, int> LogitBias { get; init; } = new Dictionary<int, int>();

    /// <summary>[user] the caller's end-user id (for the provider's abuse monitoring).</summary>
    public string? EndUser { get; init; }

    /// <summary>[parallel_tool_calls] sent only with tools (the API refuses it without them).</summary>
    public bool? ParallelToolCalls { get; init; }

    /// <summary>[reasoning_effort] low | medium | high (and minimal); only for deployments that declare reasoning.</summary>
    public string? ReasoningEffort { get; init; }
}
