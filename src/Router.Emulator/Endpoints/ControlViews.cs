namespace Router.Emulator.Endpoints;

/// <summary>A standing fault as the control API shows it; remaining null means until cleared.</summary>
public sealed record FaultView(string Deployment, string Kind, int? Remaining, int RetryAfterSeconds, int DelayMs);

/// <summary>Totals for one deployment as <c>GET /emulator/stats</c> shows them.</summary>
public sealed record DeploymentStatsView(long Requests, long FaultsServed, long PromptTokens, long CompletionTokens);

/// <summary>Body of <c>GET /health</c>.</summary>
public sealed record HealthView(string Status);
