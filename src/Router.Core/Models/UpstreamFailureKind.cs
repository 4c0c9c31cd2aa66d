namespace Router.Core.Models;

/// <summary>How a model call failed, which decides the status the caller sees.</summary>
public enum UpstreamFailureKind
{
    /// <summary>The model kept answering 429 until retries ran out: 503 with Retry-After.</summary>
    RateLimited,

    /// <summary>Unreachable, refused, or its circuit is open: 503.</summary>
    Unavailable,

    /// <summary>The model answered with an error or something unusable: 502.</summary>
    BadGateway,

    /// <summary>No answer within the deadline: 504.</summary>
    Timeout,
}
