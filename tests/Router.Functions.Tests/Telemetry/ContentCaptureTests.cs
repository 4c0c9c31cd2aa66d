using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Router.Core;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Telemetry;

/// <summary>Callers' prompts and outputs stay out of spans, logs and metrics unless Router:Telemetry:CaptureContent is on.</summary>
[Collection(SharedServersDefinition.Name)]
public sealed class ContentCaptureTests(SharedServers stack)
{
    [Fact]
    public async Task DefaultSettings_PromptAndOutput_AppearInNoSpanLogOrMetric()
    {
        var run = await RunAsync(captureContent: null);

        Assert.NotEmpty(run.Spans);
        Assert.NotEmpty(run.Logs);
        Assert.NotEmpty(run.Metrics);
        foreach (var text in new[] { run.Input, run.Output })
        {
            Assert.DoesNotContain(run.Spans, s => s.Contains(text, StringComparison.Ordinal));
            Assert.DoesNotContain(run.Logs, l => l.Contains(text, StringComparison.Ordinal));
            Assert.DoesNotContain(run.Metrics, m => m.Contains(text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task CaptureContentOn_ModelSpan_CarriesInputAndOutputMessages()
    {
        var run = await RunAsync(captureContent: "true");

        Assert.Contains(run.Spans, s => s.Contains("gen_ai.input.messages", StringComparison.Ordinal) && s.Contains(run.Input, StringComparison.Ordinal));
        Assert.Contains(run.Spans, s => s.Contains("gen_ai.output.messages", StringComparison.Ordinal) && s.Contains(JsonEscaped(run.Output), StringComparison.Ordinal));
        Assert.DoesNotContain(run.Logs, l => l.Contains(run.Input, StringComparison.Ordinal));
    }

    private static string JsonEscaped(string text) => System.Text.Json.JsonSerializer.Serialize(text)[1..^1];

    private async Task<Run> RunAsync(string? captureContent)
    {
        var client = "content-" + Guid.NewGuid().ToString("N")[..8];
        var key = client + "-key";
        var input = "Secret-marker " + Guid.NewGuid().ToString("N") + " the parcel arrived late and the box was damaged.";
        var settings = TelemetryRouter.Settings(stack, client, key);
        if (captureContent is not null)
        {
            settings["Router:Telemetry:CaptureContent"] = captureContent;
        }

        var logs = new CapturedLogs();
        var spans = new ConcurrentQueue<string>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RouterTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.GetTagItem("router.client") as string == client)
                {
                    spans.Enqueue(a.DisplayName + " " + string.Join(" ", a.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " " +
                        string.Join(" ", a.Events.Select(e => e.Name + string.Join(" ", e.Tags.Select(t => $"{t.Key}={t.Value}")))) + " " + a.StatusDescription);
                }
            },
        };
        ActivitySource.AddActivityListener(activities);
        using var metrics = new MetricsCapture();

        string output;
        await using (var router = await RouterServer.StartAsync(settings, services => services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))))
        {
            var body = await TelemetryRouter.RouteAsync(router, key, "summarize", input);
            output = body.GetProperty("output").GetString()!;
        }

        Assert.True(output.Length > 20, "the emulator's output must be long enough to be searched for: " + output);
        return new Run(
            input,
            output,
            [.. spans],
            [.. logs.Entries],
            [.. metrics.Of("gen_ai.client.token.usage", client).Concat(metrics.Of("router.cost", client)).Select(m => string.Join(" ", m.Tags.Select(t => $"{t.Key}={t.Value}")))]);
    }

    private sealed record Run(string Input, string Output, IReadOnlyList<string> Spans, IReadOnlyList<string> Logs, IReadOnlyList<string> Metrics);
}
