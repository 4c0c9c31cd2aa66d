using System.Globalization;
using Microsoft.Extensions.Options;

namespace Router.Core.Security;

/// <summary>
/// Per-client request rate limit (token bucket per client name, <see cref="ClientRateBucket"/>) and
/// daily budget in USD. Checked after authentication and before any model is called, so a refused
/// call costs nothing and is not recorded. The budget is checked first: a client over it gets the
/// budget's reason (and waits for the next UTC day), and spends no rate token on the refusal.
/// </summary>
public sealed class ClientAdmission
{
    private readonly Dictionary<string, ClientKeyOptions> _limits;
    private readonly Dictionary<string, ClientRateBucket> _rate;
    private readonly ClientSpendTracker _spend;
    private readonly TimeProvider _time;

    public ClientAdmission(IOptions<AuthOptions> options, ClientSpendTracker spend, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _spend = spend;
        _time = time;
        _limits = options.Value.Clients.Where(c => c.Name is not null).GroupBy(c => c.Name!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        _rate = _limits.Where(l => l.Value.RequestsPerMinute is not null)
            .ToDictionary(l => l.Key, l => new ClientRateBucket(l.Value.RequestsPerMinute!.Value, time), StringComparer.OrdinalIgnoreCase);
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

        if (!_rate.TryGetValue(client.Name, out var bucket))
        {
            return AdmissionDecision.Allow; // no limit: no bucket, no lock
        }

        if (!bucket.TryTake(out var retryAfter))
        {
            return new AdmissionDecision(false, $"Client '{client.Name}' is over its limit of {limits?.RequestsPerMinute} requests per minute.", retryAfter, "rate_limit_exceeded");
        }

        return AdmissionDecision.Allow;
    }
}
