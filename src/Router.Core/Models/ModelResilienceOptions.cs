namespace Router.Core.Models;

/// <summary>Retry and circuit settings for model calls (<c>Router:Resilience</c>).</summary>
public sealed class ModelResilienceOptions
{
    public const string SectionName = "Router:Resilience";

    /// <summary>Retries after the first attempt, for 429, 5xx, 408 and connection failures.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Base delay for exponential backoff with jitter; a Retry-After from the model wins.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Limit for one attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Share of failures in the sampling window that opens a deployment's circuit.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    public int CircuitMinimumThroughput { get; set; } = 10;

    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
