namespace Router.Core.Models;

/// <summary>A model call that failed after the resilience pipeline gave up. The message names the cause, never the prompt.</summary>
public sealed class ModelCallException : Exception
{
    public ModelCallException()
    {
    }

    public ModelCallException(string message)
        : base(message)
    {
    }

    public ModelCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelCallException(UpstreamFailureKind kind, string model, string message, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Model = model;
        RetryAfter = retryAfter;
    }

    public UpstreamFailureKind Kind { get; } = UpstreamFailureKind.BadGateway;

    public string Model { get; } = string.Empty;

    public TimeSpan? RetryAfter { get; }

    public int HttpStatus => Kind switch
    {
        UpstreamFailureKind.RateLimited or UpstreamFailureKind.Unavailable => 503,
        UpstreamFailureKind.Timeout => 504,
        _ => 502,
    };
}
