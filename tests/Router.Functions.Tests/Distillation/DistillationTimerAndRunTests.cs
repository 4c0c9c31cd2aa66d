using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Router.Core.Catalog;
using Router.Functions.Functions;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Distillation;

/// <summary>The timer function and POST /api/distillation/run are one code path: same report, stored in RouterReports.</summary>
[Collection(SharedServersDefinition.Name)]
public sealed class DistillationTimerAndRunTests(SharedServers stack)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TimerAndRunEndpoint_SameClock_ProduceTheSameStoredReport()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var settings = stack.Settings;
        settings["Router:Storage:RollupsTable"] = "Rollups" + suffix;
        settings["Router:Storage:ReportsTable"] = "Reports" + suffix;
        settings["Router:Storage:SamplesTable"] = "Samples" + suffix;
        await using var router = await RouterServer.StartAsync(settings, s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(Now)));
        var catalog = router.Services.GetRequiredService<TaskCatalog>();
        var rollups = DistillationTestCatalog.Table(stack.Azurite.ConnectionString, "Rollups" + suffix);
        await DistillationTestCatalog.SeedDailyAsync(rollups, "summarize", "large", "large", new DateOnly(2026, 3, 1), 14, 5_000, new PerCall(60, 90, 400, 60, 1_975_000), catalog.Tasks.Single(t => t.Name == "summarize").PromptVersion);
        await DistillationTestCatalog.SeedDailyAsync(rollups, "ticket-triage", "small", "small", new DateOnly(2026, 3, 1), 14, 3_000, new PerCall(10, 0, 40, 2, 17_000), catalog.Tasks.Single(t => t.Name == "ticket-triage").PromptVersion);
        using var admin = router.CreateClient(RouterServer.AdminKey);

        using var runResponse = await admin.PostAsync("api/distillation/run", content: null);
        Assert.Equal(HttpStatusCode.OK, runResponse.StatusCode);
        var fromEndpoint = await runResponse.Content.ReadAsStringAsync();

        var timer = ActivatorUtilities.CreateInstance<DistillationTimerFunction>(router.Services);
        await timer.Run(new TimerInfo { ScheduleStatus = new ScheduleStatus { Last = Now.UtcDateTime, Next = Now.AddDays(1).UtcDateTime } }, CancellationToken.None);

        using var latest = await admin.GetAsync("api/distillation");
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        var fromTimer = await latest.Content.ReadAsStringAsync();
        Assert.Equal(Reports(fromEndpoint), Reports(fromTimer));
        using (var json = JsonDocument.Parse(fromTimer))
        {
            Assert.Equal(catalog.Tasks.Count, json.RootElement.GetProperty("reports").GetArrayLength());
            var summarize = json.RootElement.GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("task").GetString() == "summarize");
            Assert.Equal(5_000m, summarize.GetProperty("callsPerDay").GetDecimal());
            var triage = json.RootElement.GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("task").GetString() == "ticket-triage");
            Assert.Equal("distilled", triage.GetProperty("verdict").GetString());
        }

        var rows = new List<TableEntity>();
        await foreach (var row in DistillationTestCatalog.Table(stack.Azurite.ConnectionString, "Reports" + suffix).QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        Assert.Equal(catalog.Tasks.Select(t => t.Name).Order(StringComparer.Ordinal), rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("20260315", r.PartitionKey));

        using var markdown = await admin.GetAsync("api/distillation?format=md");
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType?.MediaType);
        var table = await markdown.Content.ReadAsStringAsync();
        Assert.Contains("| summarize | generation | large |", table, StringComparison.Ordinal);
        Assert.Contains("| ticket-triage | classification | small | **distilled** |", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DistillationEndpoints_CallerKey_AreForbidden()
    {
        using var caller = stack.Router.CreateClient(RouterServer.CallerKey);

        using var report = await caller.GetAsync("api/distillation");
        using var run = await caller.PostAsync("api/distillation/run", content: null);
        using var dataset = await caller.GetAsync("api/distillation/summarize/dataset");

        Assert.Equal(HttpStatusCode.Forbidden, report.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, dataset.StatusCode);
    }

    /// <summary>The reports array as canonical text, so two answers compare field by field.</summary>
    private static string Reports(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("reports").GetRawText();
    }
}
