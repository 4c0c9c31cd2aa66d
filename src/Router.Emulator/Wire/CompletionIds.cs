using System.Globalization;

namespace Router.Emulator.Wire;

/// <summary>Unique "chatcmpl-..." ids: a per-process prefix and a counter, no per-request randomness.</summary>
public sealed class CompletionIds
{
    private readonly string _prefix = "chatcmpl-emu" + Random.Shared.Next().ToString("x8", CultureInfo.InvariantCulture);
    private long _next;

    public string Next() => _prefix + Interlocked.Increment(ref _next).ToString("x", CultureInfo.InvariantCulture);
}
