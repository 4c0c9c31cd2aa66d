using Router.Core.Ledger;

namespace Router.Core.Routing;

/// <summary>What an <see cref="ICallObserver"/> learns about a served request: what was asked, the plan that served it, the answer and its record.</summary>
public sealed record ServedCall(RouteRequest Request, ModelAttempt Attempt, string Output, CallRecord Record)
{
    public string CallId => Record.CallId;

    public PlannedCall Plan => Attempt.Plan;
}
