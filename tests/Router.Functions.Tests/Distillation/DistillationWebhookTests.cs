using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Distillation.Reporting;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Distillation;

[Collection(SharedServersDefinition.Name)]
public sealed class DistillationWebhookTests(SharedServers stack)
{
    [Fact]
    public async Task RunAsync_WebhookAnswers500Then200_ReceivesTheReportOnce()
    {
        await using var hook = await WebhookReceiver.StartAsync(500, 200);
        await using var services = Services(hook.Url, timeout: "00:00:10");

        var (run, delivered) = await services.GetRequiredService<DistillationReportService>().RunAsync(CancellationToken.None);

        Assert.True(delivered);
        Assert.Equal(2, hook.Attempts);
        var body = Assert.Single(hook.Accepted);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(run.Reports.Count, json.RootElement.GetProperty("reports").GetArrayLength());
        Assert.Equal(run.GeneratedAt, json.RootElement.GetProperty("generatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task RunAsync_WebhookNeverAnswers_RunSucceedsAndReportIsStored()
    {
        await using var hook = await WebhookReceiver.StartAsync(0, 0, 0, 0);
        await using var services = Services(hook.Url, timeout: "00:00:01");
        var service = services.GetRequiredService<DistillationReportService>();

        var (run, delivered) = await service.RunAsync(CancellationToken.None);

        Assert.False(delivered);
        Assert.True(hook.Attempts >= 1);
        Assert.Empty(hook.Accepted);
        var stored = await service.LatestAsync(CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(run.Reports.Select(r => r.Task), stored.Reports.Select(r => r.Task));
    }

    private ServiceProvider Services(Uri webhook, string timeout)
    {
        var settings = DistillationTestCatalog.Settings(stack.Azurite.ConnectionString, Guid.NewGuid().ToString("N")[..12], new DateOnly(2026, 3, 20));
        settings["Router:Distillation:WebhookUrl"] = webhook.ToString();
        settings["Router:Distillation:WebhookTimeout"] = timeout;
        settings["Router:Distillation:WebhookMaxRetries"] = "2";
        // The system clock: the resilience handler takes its timers from the container's TimeProvider.
        return DistillationTestCatalog.Services(settings, TimeProvider.System);
    }
}
