namespace Router.Functions.Api;

/// <summary>The answer of POST /api/route.</summary>
public sealed record NativeRouteResponse(
    string Output,
    string Task,
    string Route,
    string Model,
    string Deployment,
    UsageBody Usage,
    decimal CostUsd,
    LatencyBody LatencyMs,
    string CallId,
    string PromptVersion,
    bool Fallback,
    string? FallbackReason);

public sealed record UsageBody(int InputTokens, int CachedInputTokens, int OutputTokens, int TotalTokens, int SystemTokens, int ExamplesTokens, int ContextTokens, int CallerTokens);

public sealed record LatencyBody(double Total, double Upstream, double Overhead);
