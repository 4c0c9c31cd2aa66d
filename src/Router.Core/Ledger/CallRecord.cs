namespace Router.Core.Ledger;

/// <summary>
/// One upstream model call, as recorded in RouterCalls. A cascaded request produces two
/// records (the small attempt with status escalated, then the large one with Fallback set),
/// so every model call's tokens and dollars are recorded exactly once.
/// </summary>
public sealed record CallRecord
{
    public required string CallId { get; init; }

    /// <summary>The request this call served; equals CallId except for the escalated attempt of a cascade.</summary>
    public required string RequestId { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public required string Task { get; init; }

    public required string Route { get; init; }

    public required string Model { get; init; }

    public required string Deployment { get; init; }

    public required string Client { get; init; }

    /// <summary>The API the caller used: route (native), chat (chat completions) or responses (the Responses API).</summary>
    public required string Api { get; init; }

    /// <summary>The caller's metadata (OpenAI's up to 16 string pairs, either OpenAI API); null when none was sent.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public required string Status { get; init; }

    public int HttpStatus { get; init; } = 200;

    public string? Error { get; init; }

    public int InputTokens { get; init; }

    public int SystemTokens { get; init; }

    public int ExamplesTokens { get; init; }

    public int ContextTokens { get; init; }

    public int CallerTokens { get; init; }

    public int CachedInputTokens { get; init; }

    public int OutputTokens { get; init; }

    public decimal CostUsd { get; init; }

    public required string PriceVersion { get; init; }

    public double TotalMs { get; init; }

    public double UpstreamMs { get; init; }

    public double OverheadMs { get; init; }

    public double? TimeToFirstTokenMs { get; init; }

    public bool Streamed { get; init; }

    public bool Fallback { get; init; }

    public string? FallbackReason { get; init; }

    /// <summary>
    /// Why a streamed answer broke the task's output rules (checked once the stream ended:
    /// the caller already has the text, so it is flagged here rather than cascaded).
    /// </summary>
    public string? OutputViolation { get; init; }

    /// <summary>True when the model's usage never arrived (client left mid-stream) and the tokens are local estimates.</summary>
    public bool UsageEstimated { get; init; }

    public required string PromptVersion { get; init; }

    /// <summary>Set on shadow calls only (<see cref="CallStatus.Shadow"/>): which candidate, and how its answer compared with the large model's.</summary>
    public ShadowEvaluation? Shadow { get; init; }
}
