namespace Router.Core.Background;

/// <summary>One background loop as health reports it.</summary>
/// <param name="Name">The loop's name (ledger-writer, spend-refresh, ...).</param>
/// <param name="Status">healthy, or failing while its work keeps failing (it retries with backoff).</param>
/// <param name="FailingSince">When the current outage began; null while healthy.</param>
/// <param name="ConsecutiveFailures">Failures since the last success.</param>
/// <param name="Failures">Failures since start (each retry and each restart counts one).</param>
/// <param name="Restarts">Times the supervisor restarted the loop after it threw.</param>
/// <param name="LastError">The last failure's exception type; null before the first failure.</param>
public sealed record LoopState(string Name, string Status, DateTimeOffset? FailingSince, long ConsecutiveFailures, long Failures, long Restarts, string? LastError)
{
    public const string Healthy = "healthy";
    public const string Failing = "failing";
}
