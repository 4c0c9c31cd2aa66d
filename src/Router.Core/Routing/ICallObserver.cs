namespace Router.Core.Routing;

/// <summary>
/// Told once per request, after the caller's answer is complete and recorded (a non-streamed
/// answer when the flow has it, a stream when it ended well). The place to start work that
/// must not delay or change the caller's answer, such as shadow calls. Implementations must
/// return at once (queue the work) and never throw. None is registered by default.
/// </summary>
public interface ICallObserver
{
    void AfterServed(ServedCall served);
}
