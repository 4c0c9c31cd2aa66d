using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;
using Router.Functions.Tests.Resilience;

namespace Router.Functions.Tests.Distillation;

/// <summary>
/// A fresh stack (new tables, the sample catalog, the emulator) with a burst of real traffic over every
/// sample task, then the report: provisional per task with the span it rests on, a next step each,
/// and no null figure without its reason. A large answer that breaks the output rules is counted.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class DistillationFirstDayTests(SharedServers stack)
{
    private static readonly (string Task, string Input, string? Context)[] Traffic =
    [
        ("ticket-triage", "I was charged twice for my plan this month, please refund one.", null),
        ("ticket-triage", "The app crashes with a bug when I open settings.", null),
        ("summarize", "The board met on 3 May and approved a budget of 2.1M EUR for the new plant in Lyon; building starts in September.", null),
        ("summarize", "Sales rose 8% in Q2 to 14,300 units; the Berlin store closed on 30 June and staff moved to Hamburg.", null),
        ("invoice-extract", "Invoice INV-7781 from Acme GmbH, total due 980.50 EUR by 15 July.", null),
        ("contract-qa", "How much notice is needed to terminate?", "Clause 9.1: Either party may terminate this agreement with 60 days written notice."),
    ];

    [Fact]
    public async Task Run_AfterAFewMinutesOfTraffic_ProvisionalVerdictPerTaskWithSpanAndNoBareNulls()
    {
        var faulty = new FaultyDeployments(stack);
        var id = Guid.NewGuid().ToString("N")[..12];
        var settings = faulty.Settings;
        settings["Router:Storage:RollupsTable"] = "Rollups" + id;
        settings["Router:Storage:ReportsTable"] = "Reports" + id;
        settings["Router:Storage:SamplesTable"] = "Samples" + id;
        settings["Router:Ledger:RollupFlushInterval"] = "00:00:00.100";
        await using var router = await RouterServer.StartAsync(settings);
        using var caller = router.CreateClient(RouterServer.CallerKey);
        using var admin = router.CreateClient(RouterServer.AdminKey);

        var calls = 0;
        for (var round = 0; round < 3; round++)
        {
            foreach (var (task, input, context) in Traffic)
            {
                using var response = await caller.PostAsJsonAsync("api/route", context is null ? (object)new { task, input } : new { task, input, context });
                response.EnsureSuccessStatusCode();
                calls++;
            }
        }

        // One large answer that is not JSON: served (the large route does not cascade) and counted as a rule violation.
        await faulty.ArmAsync(faulty.Large, new { kind = "malformed", count = 1 });
        using (var broken = await caller.PostAsJsonAsync("api/route", new { task = "invoice-extract", input = "Invoice INV-7782, total 12.00 USD." }))
        {
            broken.EnsureSuccessStatusCode();
            calls++;
        }

        await router.DrainAsync();
        await WaitForRollupCallsAsync("Rollups" + id, calls);

        using var run = await admin.PostAsync("api/distillation/run", null);
        run.EnsureSuccessStatusCode();
        var body = await run.Content.ReadFromJsonAsync<JsonElement>();

        var reports = body.GetProperty("reports").EnumerateArray().ToDictionary(r => r.GetProperty("task").GetString()!);
        Assert.Equal(["contract-qa", "invoice-extract", "summarize", "ticket-triage"], reports.Keys.Order(StringComparer.Ordinal));
        foreach (var (task, report) in reports)
        {
            Assert.True(report.GetProperty("provisional").GetBoolean(), task);
            var basis = report.GetProperty("basis");
            Assert.True(basis.GetProperty("provisional").GetBoolean());
            Assert.Matches(@"^from \d+(\.\d)? (minutes?|hours?) of traffic: [\d,.]+ calls/h, about [\d,]+ calls/day$", basis.GetProperty("summary").GetString());
            Assert.True(basis.GetProperty("calls").GetInt64() > 0, task);
            Assert.True(report.GetProperty("callsPerDay").GetDecimal() > 0, task);
            Assert.False(string.IsNullOrWhiteSpace(report.GetProperty("nextStep").GetProperty("sentence").GetString()), task);
            Assert.Equal(4, report.GetProperty("steps").GetArrayLength());
            AssertNoBareNulls(task, report);
        }

        Assert.True(body.GetProperty("totals").GetProperty("provisional").GetBoolean());
        Assert.Equal("not-eligible", reports["contract-qa"].GetProperty("verdict").GetString());
        Assert.StartsWith("not eligible: keep facts in retrieval", reports["contract-qa"].GetProperty("nextStep").GetProperty("sentence").GetString(), StringComparison.Ordinal);
        var invoicePrompt = reports["invoice-extract"].GetProperty("prompt");
        Assert.Equal(1, invoicePrompt.GetProperty("largeRuleViolations").GetInt64());
        Assert.Equal(4, invoicePrompt.GetProperty("largeAnswers").GetInt64());

        var markdown = await admin.GetStringAsync("api/distillation?format=md");
        Assert.DoesNotContain("never", markdown, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Provisional, from ", markdown, StringComparison.Ordinal);
    }

    /// <summary>Every null property of a report has its reason in nullReasons.</summary>
    private static void AssertNoBareNulls(string task, JsonElement report)
    {
        var reasons = report.GetProperty("nullReasons");
        foreach (var property in report.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Null))
        {
            Assert.True(reasons.TryGetProperty(property.Name, out var reason) && reason.ValueKind == JsonValueKind.String, $"{task}: {property.Name} is null without a reason");
        }
    }

    private async Task WaitForRollupCallsAsync(string table, long expected)
    {
        var rollups = new TableServiceClient(stack.Azurite.ConnectionString).GetTableClient(table);
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(60);
        long seen = 0;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            try
            {
                seen = 0;
                await foreach (var entity in rollups.QueryAsync<TableEntity>())
                {
                    seen += RollupEntity.FromEntity(entity).Calls;
                }
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 404)
            {
            }

            if (seen >= expected)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"rollups hold {seen} of {expected} calls");
    }
}
