namespace Router.Emulator.Faults;

/// <summary>
/// A fault as written in configuration or the control API body:
/// kind is one of 429, 500, 503, timeout, malformed, down, delay, off-schema.
/// </summary>
public sealed class FaultSpec
{
    public string? Kind { get; set; }

    /// <summary>How many requests get the fault; null means until cleared.</summary>
    public int? Count { get; set; }

    public int? RetryAfterSeconds { get; set; }

    public int? DelayMs { get; set; }
}
