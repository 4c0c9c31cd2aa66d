namespace Router.Core.Health;

public sealed record HealthReport(string Status, DependencyHealth Storage, IReadOnlyList<DependencyHealth> Models, LedgerHealth Ledger);

public sealed record DependencyHealth(string Name, string Status, double LatencyMs, string? Error);

public sealed record LedgerHealth(int QueueDepth, double? OldestPendingSeconds, long Dropped);

public static class HealthStatus
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Unhealthy = "unhealthy";
}
