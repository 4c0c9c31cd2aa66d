using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Telemetry;

/// <summary>The router's spans reach a real OTLP receiver (the Aspire dashboard) with GenAI and router attributes.</summary>
[Collection(SharedServersDefinition.Name)]
public sealed class OtlpExportTests(SharedServers stack)
{
    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    [Fact]
    public async Task RoutedCalls_OtlpToAspireDashboard_SpansCarryGenAiAndRouterAttributesWithLedgerTokens()
    {
        await using var dashboard = await AspireDashboardServer.StartAsync();
        var key = "otlp-test-key-" + Guid.NewGuid().ToString("N");
        var settings = TelemetryRouter.Settings(stack, "otlp-test", key);
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.OtlpGrpc.ToString();
        settings["OTEL_SERVICE_NAME"] = "router-otlp-test";
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        await using var router = await RouterServer.StartAsync(settings);

        var calls = new[] { ("ticket-triage", "small", "gpt-4o-mini-ft"), ("contract-qa", "large", "gpt-4o") };
        foreach (var (task, route, deployment) in calls)
        {
            var body = await TelemetryRouter.RouteAsync(router, key, task, "My invoice shows a charge I do not recognise, what is it?");
            var callId = body.GetProperty("callId").GetString()!;
            var row = Assert.Single(await _ledger.WaitForRequestAsync(callId));

            var server = await WaitForSpanAsync(dashboard, s => s.Attributes.GetValueOrDefault("router.call_id") == callId);
            Assert.Equal("router-otlp-test", server.Service);
            Assert.Equal("route " + task, server.Name);
            Assert.Equal(task, server.Attributes["router.task"]);
            Assert.Equal(route, server.Attributes["router.route"]);
            Assert.Equal("false", server.Attributes["router.fallback"]);
            Assert.Equal("otlp-test", server.Attributes["router.client"]);
            Assert.Equal((double)row.CostUsd, double.Parse(server.Attributes["router.cost_usd"]!, System.Globalization.CultureInfo.InvariantCulture), 12);

            var client = await WaitForSpanAsync(dashboard, s => s.TraceId == server.TraceId && s.ParentSpanId == server.SpanId && s.Name == "chat " + deployment);
            Assert.Equal("chat", client.Attributes["gen_ai.operation.name"]);
            Assert.Equal("azure.ai.openai", client.Attributes["gen_ai.provider.name"]);
            Assert.Equal(deployment, client.Attributes["gen_ai.request.model"]);
            Assert.False(string.IsNullOrEmpty(client.Attributes["gen_ai.response.model"]));
            Assert.Equal(row.InputTokens.ToString(System.Globalization.CultureInfo.InvariantCulture), client.Attributes["gen_ai.usage.input_tokens"]);
            Assert.Equal(row.OutputTokens.ToString(System.Globalization.CultureInfo.InvariantCulture), client.Attributes["gen_ai.usage.output_tokens"]);
            Assert.Equal(task, client.Attributes["router.task"]);
            Assert.Equal(route, client.Attributes["router.route"]);
            Assert.False(client.Attributes.ContainsKey("error.type"));
        }
    }

    [Fact]
    public async Task FailedModelCall_OtlpToAspireDashboard_SpanHasErrorType()
    {
        await using var dashboard = await AspireDashboardServer.StartAsync();
        var key = "otlp-fail-key-" + Guid.NewGuid().ToString("N");
        var settings = TelemetryRouter.Settings(stack, "otlp-fail-test", key);
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.OtlpGrpc.ToString();
        settings["OTEL_SERVICE_NAME"] = "router-otlp-fail-test";
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        // Nothing listens here: the model call fails fast as unavailable.
        settings["Router:Models:large:Endpoint"] = $"http://127.0.0.1:{FreePort.Next()}/";
        settings["Router:Resilience:MaxRetries"] = "0";
        await using var router = await RouterServer.StartAsync(settings);

        using var http = router.CreateClient(key);
        using var response = await http.PostAsync("api/route", System.Net.Http.Json.JsonContent.Create(new { task = "contract-qa", input = "What does clause 4 say?" }));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);

        var client = await WaitForSpanAsync(dashboard, s => s.Service == "router-otlp-fail-test" && s.Name == "chat gpt-4o");
        Assert.Equal("unavailable", client.Attributes["error.type"]);
        var server = await WaitForSpanAsync(dashboard, s => s.SpanId == client.ParentSpanId);
        Assert.Equal("unavailable", server.Attributes["error.type"]);
    }

    private static async Task<OtlpSpan> WaitForSpanAsync(AspireDashboardServer dashboard, Func<OtlpSpan, bool> match)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        IReadOnlyList<OtlpSpan> spans = [];
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            spans = await dashboard.SpansAsync();
            if (spans.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"No matching span in the dashboard; it holds {spans.Count}: {string.Join(", ", spans.Select(s => s.Name))}");
    }
}
