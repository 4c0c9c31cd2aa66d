namespace Router.Emulator.Faults;

/// <summary>A validated fault with its own countdown; shared by concurrent requests, so the countdown is atomic.</summary>
public sealed class ActiveFault
{
    public const int DefaultRetryAfterSeconds = 1;
    public const int DefaultDelayMs = 1_000;
    private const int Unlimited = -1;

    private int _remaining;

    public ActiveFault(FaultKind kind, int? count, int retryAfterSeconds, int delayMs)
    {
        Kind = kind;
        RetryAfterSeconds = retryAfterSeconds;
        DelayMs = delayMs;
        _remaining = count ?? Unlimited;
    }

    public FaultKind Kind { get; }

    public int RetryAfterSeconds { get; }

    public int DelayMs { get; }

    /// <summary>Requests still to be faulted; null while the fault lasts until cleared.</summary>
    public int? Remaining
    {
        get
        {
            var remaining = Volatile.Read(ref _remaining);
            return remaining == Unlimited ? null : remaining;
        }
    }

    public static bool TryCreate(FaultSpec spec, out ActiveFault? fault, out string? error)
    {
        ArgumentNullException.ThrowIfNull(spec);
        fault = null;
        if (spec.Kind is null || !FaultKindNames.TryParse(spec.Kind, out var kind))
        {
            error = "kind must be one of 429, 500, 503, timeout, malformed, down, delay, off-schema.";
            return false;
        }

        if (spec.Count is < 1)
        {
            error = "count must be >= 1, or null for until cleared.";
            return false;
        }

        if (spec.RetryAfterSeconds is < 0 || spec.DelayMs is < 0)
        {
            error = "retryAfterSeconds and delayMs must be >= 0.";
            return false;
        }

        error = null;
        fault = new ActiveFault(kind, spec.Count, spec.RetryAfterSeconds ?? DefaultRetryAfterSeconds, spec.DelayMs ?? DefaultDelayMs);
        return true;
    }

    /// <summary>Claims one use of the fault; false once a counted fault is spent.</summary>
    public bool TryConsume()
    {
        while (true)
        {
            var remaining = Volatile.Read(ref _remaining);
            if (remaining == Unlimited)
            {
                return true;
            }

            if (remaining == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _remaining, remaining - 1, remaining) == remaining)
            {
                return true;
            }
        }
    }
}
