namespace Router.Emulator.Faults;

/// <summary>Maps the short names used in headers, configuration and the control API to fault kinds.</summary>
public static class FaultKindNames
{
    public static bool TryParse(ReadOnlySpan<char> name, out FaultKind kind)
    {
        name = name.Trim();
        if (name.Equals("429", StringComparison.Ordinal))
        {
            kind = FaultKind.RateLimited;
        }
        else if (name.Equals("500", StringComparison.Ordinal))
        {
            kind = FaultKind.ServerError;
        }
        else if (name.Equals("503", StringComparison.Ordinal))
        {
            kind = FaultKind.ServiceUnavailable;
        }
        else if (name.Equals("timeout", StringComparison.OrdinalIgnoreCase))
        {
            kind = FaultKind.Timeout;
        }
        else if (name.Equals("malformed", StringComparison.OrdinalIgnoreCase))
        {
            kind = FaultKind.Malformed;
        }
        else if (name.Equals("down", StringComparison.OrdinalIgnoreCase))
        {
            kind = FaultKind.Down;
        }
        else if (name.Equals("delay", StringComparison.OrdinalIgnoreCase))
        {
            kind = FaultKind.Delay;
        }
        else if (name.Equals("off-schema", StringComparison.OrdinalIgnoreCase))
        {
            kind = FaultKind.OffSchema;
        }
        else
        {
            kind = default;
            return false;
        }

        return true;
    }

    public static string ToName(FaultKind kind) => kind switch
    {
        FaultKind.RateLimited => "429",
        FaultKind.ServerError => "500",
        FaultKind.ServiceUnavailable => "503",
        FaultKind.Timeout => "timeout",
        FaultKind.Malformed => "malformed",
        FaultKind.Down => "down",
        FaultKind.Delay => "delay",
        FaultKind.OffSchema => "off-schema",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
