using Router.Core.Background;

namespace Router.Core.Health;

/// <summary>
/// What /api/health answers. <paramref name="FailingLoops"/> names the background loops whose work keeps
/// failing (they retry; calls are still served); <paramref name="Reasons"/> says, one line per finding, why the status is not healthy.
/// </summary>
public sealed record HealthReport(string Status, DependencyHealth Storage, IReadOnlyList<DependencyHealth> Models, LedgerHealth Ledger, IReadOnlyList<LoopState> Loops, IReadOnlyList<string> FailingLoops, IReadOnlyList<string> Reasons);

/// <summary>One dependency; a local classifier also names the version it serves and, when it has none yet, why.</summary>
public sealed record DependencyHealth(string Name, string Status, double LatencyMs, string? Error, string? Version = null, string? Detail = null);

/// <summary>The ledger's backlog and counters since start (Written and StorageRequests give storage requests per call for the benchmark).</summary>
public sealed record LedgerHealth(int QueueDepth, double? OldestPendingSeconds, long Dropped, long Rejected = 0, long Written = 0, long StorageRequests = 0, string? Instance = null, long NotJournaled = 0, long Replayed = 0);

public static class HealthStatus
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Unhealthy = "unhealthy";
}
