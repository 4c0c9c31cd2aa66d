using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Router.Core.Security;

/// <summary>
/// Per-client request rate limit (token bucket per client name) and daily budget in USD.
/// Checked after authentication and before any model is called, so a refused call costs nothing
/// and is not recorded.
/// </summary>
public sealed class ClientAdmission : IDisposable
{
    private readonly Dictionary<string, ClientKeyOptions> _limits;
    private readonly PartitionedRateLimiter<string> _rate;
    private readonly ClientSpendTracker _spend;
    private readonly TimeProvider _time;

    public ClientAdmission(IOptions<AuthOptions> options, ClientSpendTracker spend, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _spend = spend;
        _time = time;
        _limits = options.Value.Clients.Where(c => c.Name is not null).GroupBy(c => c.Name!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        _rate = PartitionedRateLimiter.Create<string, string>(client =>
            _limits.TryGetValue(client, out var limits) && limits.RequestsPerMinute is { } perMinute
                ? RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perMinute,
                    TokensPerPeriod = Math.Max(1, perMinute / 60),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(60.0 / perMinute * Math.Max(1, perMinute / 60)),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })
                : RateLimitPartition.GetNoLimiter(client),
            StringComparer.OrdinalIgnoreCase);
    }

    public AdmissionDecision Admit(ClientIdentity client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (_limits.TryGetValue(client.Name, out var limits) && limits.DailyBudgetUsd is { } budget)
        {
            var spent = _spend.SpentToday(client.Name);
            if (spent >= budget)
            {
                var now = _time.GetUtcNow();
                var nextDay = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
                return new AdmissionDecision(
                    false,
                    string.Create(CultureInfo.InvariantCulture, $"Client '{client.Name}' has spent ${spent:0.######} of its daily budget of ${budget:0.######}; calls resume at {nextDay:yyyy-MM-dd} 00:00 UTC."),
                    nextDay - now,
                    "budget_exceeded");
            }
        }

        if (limits?.RequestsPerMinute is null)
        {
            return AdmissionDecision.Allow; // no limit: skip the partitioned limiter and its lock
        }

        using var lease = _rate.AttemptAcquire(client.Name);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            return new AdmissionDecision(false, $"Client '{client.Name}' is over its limit of {limits?.RequestsPerMinute} requests per minute.", retryAfter, "rate_limit_exceeded");
        }

        return AdmissionDecision.Allow;
    }

    public void Dispose() => _rate.Dispose();
}
