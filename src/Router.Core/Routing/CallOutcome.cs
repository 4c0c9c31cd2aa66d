using Router.Core.Models;

namespace Router.Core.Routing;

/// <summary>
/// What <see cref="CallFlow.SendAsync"/> returns, failures included (as values, never as
/// exceptions crossing into the function): exactly one of <see cref="Failure"/>,
/// <see cref="Result"/> (a non-streamed answer) or <see cref="Stream"/> (the caller asked to
/// stream) is set. Add what a new API needs to <see cref="RouteResult"/> or to the model's
/// response types, not here.
/// </summary>
public sealed class CallOutcome
{
    private CallOutcome(CallFailure? failure, RouteResult? result, IStreamedAnswer? stream)
    {
        Failure = failure;
        Result = result;
        Stream = stream;
    }

    public CallFailure? Failure { get; }

    public RouteResult? Result { get; }

    public IStreamedAnswer? Stream { get; }

    public static CallOutcome Answered(RouteResult result) => new(null, result ?? throw new ArgumentNullException(nameof(result)), null);

    public static CallOutcome Streaming(IStreamedAnswer stream) => new(null, null, stream ?? throw new ArgumentNullException(nameof(stream)));

    public static CallOutcome Failed(ModelCallException upstream) => new(new CallFailure(upstream ?? throw new ArgumentNullException(nameof(upstream))), null, null);

    public static CallOutcome CallerLeft { get; } = new(new CallFailure(null), null, null);
}

/// <summary>Why a call was not served: the model failed or the deadline passed (<see cref="Upstream"/>: 502/503/504), or the caller left (nothing to send).</summary>
public sealed record CallFailure(ModelCallException? Upstream)
{
    public bool CallerLeft => Upstream is null;
}
