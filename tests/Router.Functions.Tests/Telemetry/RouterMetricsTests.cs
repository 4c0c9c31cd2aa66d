using Router.Core.Telemetry;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Telemetry;

/// <summary>Metrics agree with the ledger: the same calls, tokens and cost, recorded from the same call record.</summary>
[Collection(SharedServersDefinition.Name)]
public sealed class RouterMetricsTests(SharedServers stack)
{
    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    [Fact]
    public async Task Metrics_ForRoutedCalls_EqualLedgerFigures()
    {
        var client = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var key = client + "-key";
        using var metrics = new MetricsCapture();
        await using var router = await RouterServer.StartAsync(TelemetryRouter.Settings(stack, client, key));

        var callIds = new List<string>();
        foreach (var task in new[] { "ticket-triage", "ticket-triage", "summarize", "contract-qa" })
        {
            var body = await TelemetryRouter.RouteAsync(router, key, task, "Please summarise: the parcel arrived late and the box was damaged.");
            callIds.Add(body.GetProperty("callId").GetString()!);
        }

        var rows = new List<Router.Core.Ledger.CallRecord>();
        foreach (var id in callIds)
        {
            rows.AddRange(await _ledger.WaitForRequestAsync(id));
        }

        Assert.Equal(callIds.Count, rows.Count);
        Assert.Equal(rows.Count, metrics.Of("router.calls", client).Sum(m => m.Value));
        Assert.Equal((double)rows.Sum(r => r.CostUsd), metrics.Of("router.cost", client).Sum(m => m.Value), 12);
        Assert.Equal(rows.Sum(r => r.InputTokens), metrics.Of("gen_ai.client.token.usage", client).Where(m => m.Tag("gen_ai.token.type") == "input").Sum(m => m.Value));
        Assert.Equal(rows.Sum(r => r.OutputTokens), metrics.Of("gen_ai.client.token.usage", client).Where(m => m.Tag("gen_ai.token.type") == "output").Sum(m => m.Value));
        Assert.Equal(rows.Count, metrics.Of("gen_ai.client.operation.duration", client).Count());

        foreach (var group in rows.GroupBy(r => (r.Task, r.Route, r.Deployment)))
        {
            var tagged = metrics.Of("router.cost", client).Where(m => m.Tag("router.task") == group.Key.Task && m.Tag("router.route") == group.Key.Route && m.Tag("gen_ai.request.model") == group.Key.Deployment).ToList();
            Assert.Equal(group.Count(), tagged.Count);
            Assert.Equal((double)group.Sum(r => r.CostUsd), tagged.Sum(m => m.Value), 12);
        }

        var usage = metrics.Of("gen_ai.client.token.usage", client).First();
        Assert.Equal("chat", usage.Tag("gen_ai.operation.name"));
        Assert.Equal("azure.ai.openai", usage.Tag("gen_ai.provider.name"));
        Assert.False(string.IsNullOrEmpty(usage.Tag("gen_ai.response.model")));
        Assert.Null(usage.Tag("error.type"));
        Assert.Empty(metrics.Of("router.fallbacks", client));
    }

    [Fact]
    public async Task LedgerQueueDepthGauge_WhileRouterRuns_IsObserved()
    {
        using var metrics = new MetricsCapture();
        await using var router = await RouterServer.StartAsync(stack.Settings);

        metrics.Observe();

        var depth = Assert.Single(metrics.Of("router.ledger.queue_depth"));
        Assert.True(depth.Value >= 0);
    }

    [Fact]
    public void DistillationGauges_Update_AreObservedPerTask()
    {
        var task = "gauge-" + Guid.NewGuid().ToString("N")[..8];
        using var metrics = new MetricsCapture();

        DistillationGauges.Update(task, 12.5m, 7970m);
        metrics.Observe();

        Assert.Equal(12.5, Assert.Single(metrics.Of("router.distillation.savings_per_day"), m => m.Tag("router.task") == task).Value);
        Assert.Equal(7970, Assert.Single(metrics.Of("router.distillation.break_even_calls_per_day"), m => m.Tag("router.task") == task).Value);
    }
}
