using System.Diagnostics;
using Router.Core.Catalog;
using Router.Core.Models;

namespace Router.Core.Routing;

/// <summary>
/// One model call of a request, as the flow saw it: the plan, when it started, what came back
/// (answer, usage, or the failure), and what it cost. The <see cref="CallRecordFactory"/> turns
/// it into a <see cref="Ledger.CallRecord"/>; nothing else needs to know how.
/// </summary>
public sealed class ModelAttempt
{
    public ModelAttempt(RouteTarget target, PlannedCall plan, long startedTimestamp, bool streamed)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Target = target;
        Plan = plan;
        StartedTimestamp = startedTimestamp;
        Streamed = streamed;
    }

    public RouteTarget Target { get; }

    public PlannedCall Plan { get; }

    public CatalogModel Model => Plan.Model;

    public long StartedTimestamp { get; }

    public bool Streamed { get; }

    /// <summary>The whole answer of a non-streamed call; null for streams and failures.</summary>
    public ChatModelResponse? Response { get; private set; }

    /// <summary>Why the call failed (upstream error or the router's deadline); null when it answered or the caller left.</summary>
    public ModelCallException? Failure { get; private set; }

    /// <summary>The caller went away while this call was running.</summary>
    public bool CallerLeft { get; private set; }

    public TokenUsage Usage { get; private set; }

    /// <summary>True when the usage is a local estimate (the model's usage never arrived).</summary>
    public bool UsageEstimated { get; private set; }

    public InputTokenSplit Split { get; private set; }

    public decimal CostUsd { get; private set; }

    public double UpstreamMs { get; private set; }

    public double? TimeToFirstTokenMs { get; set; }

    /// <summary>The deployment name the model reported (may differ from the catalog's).</summary>
    public string? ResponseModel { get; set; }

    /// <summary>The client span of this call; ended when the call is recorded.</summary>
    public Activity? Span { get; set; }

    public void Answered(ChatModelResponse response, double upstreamMs)
    {
        ArgumentNullException.ThrowIfNull(response);
        Response = response;
        ResponseModel = response.ResponseModel;
        UpstreamMs = upstreamMs;
        Price(response.Usage, estimated: false);
    }

    public void Failed(ModelCallException failure, double upstreamMs)
    {
        Failure = failure;
        UpstreamMs = upstreamMs;
    }

    public void Left(double upstreamMs)
    {
        CallerLeft = true;
        UpstreamMs = upstreamMs;
    }

    /// <summary>Step "price": billed tokens split into prompt tax and caller input, times the deployment's prices.</summary>
    public void Price(TokenUsage usage, bool estimated)
    {
        Usage = usage;
        UsageEstimated = estimated && (usage.Input > 0 || usage.Output > 0);
        Split = InputTokenSplit.Allocate(usage.Input, Plan.Prompt);
        CostUsd = CostCalculator.Cost(usage, Plan.Model.Prices);
    }

    /// <summary>Ends a stream's timing (a non-streamed call ends in <see cref="Answered"/> or <see cref="Failed"/>).</summary>
    public void Ended(double upstreamMs) => UpstreamMs = upstreamMs;
}
