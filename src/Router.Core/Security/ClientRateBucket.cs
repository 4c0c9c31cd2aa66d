namespace Router.Core.Security;

/// <summary>
/// One client's request rate: a token bucket holding up to <c>perMinute</c> calls (the burst),
/// refilled continuously at <c>perMinute</c> per minute on the injected clock. Written here
/// rather than taken from System.Threading.RateLimiting because that limiter reads the machine
/// clock itself (its replenishment cannot follow a TimeProvider, so the rule could not be tested
/// without waiting), and it allocates a lease per call where this is a lock and two numbers.
/// </summary>
internal sealed class ClientRateBucket
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _capacity;
    private readonly double _perTick;
    private double _tokens;
    private long _last;

    public ClientRateBucket(int perMinute, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perMinute);
        _time = time;
        _capacity = perMinute;
        _perTick = perMinute / (60.0 * time.TimestampFrequency);
        _tokens = perMinute;
        _last = time.GetTimestamp();
    }

    /// <summary>Takes one call's token; when none is left, how long until one is.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            _tokens = Math.Min(_capacity, _tokens + ((now - _last) * _perTick));
            _last = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / (_perTick * _time.TimestampFrequency));
            return false;
        }
    }
}
