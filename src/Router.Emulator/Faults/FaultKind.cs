namespace Router.Emulator.Faults;

/// <summary>The misbehaviours the emulator can put on a deployment.</summary>
public enum FaultKind
{
    /// <summary>429 with Retry-After, as Azure OpenAI answers when a deployment's quota is spent.</summary>
    RateLimited,

    /// <summary>500 with an error envelope.</summary>
    ServerError,

    /// <summary>503 with an error envelope.</summary>
    ServiceUnavailable,

    /// <summary>Holds the request far longer than any sane client timeout.</summary>
    Timeout,

    /// <summary>A well-formed HTTP 200 whose message content breaks labels and JSON rules.</summary>
    Malformed,

    /// <summary>Drops the connection, as an unreachable backend would.</summary>
    Down,

    /// <summary>Extra delay, then a normal answer.</summary>
    Delay,

    /// <summary>A 200 whose JSON ignores the caller's json_schema (the plain <c>{"summary": ...}</c> object).</summary>
    OffSchema,
}
