using Router.Core.Models;

namespace Router.Core.Telemetry;

/// <summary>Low-cardinality error.type values: one per way a model call can fail.</summary>
public static class ErrorTypes
{
    public const string Cancelled = "cancelled";

    public static string Of(UpstreamFailureKind kind) => kind switch
    {
        UpstreamFailureKind.RateLimited => "rate_limited",
        UpstreamFailureKind.Unavailable => "unavailable",
        UpstreamFailureKind.BadGateway => "bad_gateway",
        UpstreamFailureKind.Timeout => "timeout",
        _ => "_OTHER",
    };

    /// <summary>An exception's error.type: the failure kind of a model call, else the exception's type name.</summary>
    public static string Of(Exception exception) => exception switch
    {
        ModelCallException model => Of(model.Kind),
        OperationCanceledException => Cancelled,
        _ => exception?.GetType().FullName ?? "_OTHER",
    };
}
