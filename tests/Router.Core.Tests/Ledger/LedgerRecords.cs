using Router.Core.Ledger;

namespace Router.Core.Tests.Ledger;

internal static class LedgerRecords
{
    public static CallRecord Call(DateTimeOffset at, string callId, string task = "ticket-triage", string client = "caller-a", string model = "large", double totalMs = 20, decimal cost = 0.000123456789m, string status = CallStatus.Ok, bool fallback = false, string promptVersion = "v1") => new()
    {
        CallId = callId,
        RequestId = callId,
        Timestamp = at,
        Task = task,
        Route = model,
        Model = model,
        Deployment = model + "-deployment",
        Client = client,
        Api = "route",
        Status = status,
        InputTokens = 100,
        SystemTokens = 40,
        ExamplesTokens = 30,
        ContextTokens = 10,
        CallerTokens = 20,
        CachedInputTokens = 5,
        OutputTokens = 7,
        CostUsd = cost,
        PriceVersion = "p1",
        TotalMs = totalMs,
        UpstreamMs = totalMs - 1,
        OverheadMs = 1,
        Fallback = fallback,
        PromptVersion = promptVersion,
    };
}
