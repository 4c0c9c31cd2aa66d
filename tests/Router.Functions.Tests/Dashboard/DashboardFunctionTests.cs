using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Dashboard;

/// <summary>GET /api/dashboard and /api/dashboard/data over seeded RouterRollups, and the page as Chromium renders it.</summary>
[Collection(SharedServersDefinition.Name)]
public sealed class DashboardFunctionTests(SharedServers stack)
{
    private const int Days = 14;

    [Fact]
    public async Task DashboardData_SeededRollups_SumsPerTaskFromRollupsAndCarriesTheStoredReportUnchanged()
    {
        await using var seeded = await SeededRouter.StartAsync(stack);
        using var admin = seeded.Router.CreateClient(RouterServer.AdminKey);
        (await admin.PostAsync("api/distillation/run", null)).EnsureSuccessStatusCode();
        var stored = await admin.GetFromJsonAsync<JsonElement>("api/distillation");

        var data = await admin.GetFromJsonAsync<JsonElement>($"api/dashboard/data?days={Days}");

        var tasks = data.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("task").GetString()!);
        foreach (var task in new[] { "summarize", "ticket-triage", "contract-qa", "invoice-extract" })
        {
            var seededRows = seeded.Rows.Where(r => r.Task == task).ToList();
            var figures = tasks[task];
            Assert.Equal(seededRows.Sum(r => r.Calls), figures.GetProperty("calls").GetInt64());
            Assert.Equal(seededRows.Sum(r => r.CostUsd), figures.GetProperty("costUsd").GetDecimal());
            Assert.Equal(seededRows.Sum(r => r.Fallbacks), figures.GetProperty("fallbacks").GetInt64());
            var days = figures.GetProperty("days").EnumerateArray().ToList();
            Assert.Equal(Days, days.Count);
            Assert.All(days, d => Assert.True(d.GetProperty("calls").GetInt64() > 0));
            Assert.InRange(figures.GetProperty("p50Ms").GetDouble(), 1, 5_000);
            Assert.True(figures.GetProperty("p95Ms").GetDouble() >= figures.GetProperty("p50Ms").GetDouble());
        }

        Assert.Equal(2, tasks["ticket-triage"].GetProperty("routes").GetArrayLength());

        // One source of truth: the dashboard's report, run totals and every task's report equal the stored report, field by field.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(stored.GetRawText()), JsonNode.Parse(data.GetProperty("report").GetRawText())), "the dashboard's report differs from GET /api/distillation");
        foreach (var report in stored.GetProperty("reports").EnumerateArray())
        {
            var task = report.GetProperty("task").GetString()!;
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(report.GetRawText()), JsonNode.Parse(tasks[task].GetProperty("report").GetRawText())), $"{task}: the dashboard's task report differs from the stored one");
        }

        // What the page draws the break-even chart from: at V* the two cost lines meet, V* x c_L = V* x c_S + H + F/R.
        var summarize = tasks["summarize"].GetProperty("report");
        var breakEven = summarize.GetProperty("breakEvenCallsPerDay").GetDecimal();
        var cL = summarize.GetProperty("largeCostPerCall").GetDecimal();
        var cS = summarize.GetProperty("smallCostPerCall").GetDecimal();
        var fixedPerDay = summarize.GetProperty("hostingPerDay").GetDecimal() + (summarize.GetProperty("fixedCost").GetDecimal() / summarize.GetProperty("usefulLifeDays").GetInt32());
        Assert.Equal(breakEven * cL, (breakEven * cS) + fixedPerDay, 6);
        Assert.Equal("not-eligible", tasks["contract-qa"].GetProperty("report").GetProperty("verdict").GetString());

        // The seeded shadow rows of two instances are summed into the report the dashboard carries.
        var mini = Assert.Single(summarize.GetProperty("candidates").EnumerateArray());
        Assert.Equal(500, mini.GetProperty("samples").GetInt64());
        Assert.Equal(486, mini.GetProperty("agreements").GetInt64());
        Assert.Equal(0.00012m, mini.GetProperty("costPerCall").GetDecimal());
        Assert.Equal(0.06m, mini.GetProperty("evaluationSpendUsd").GetDecimal());
    }

    [Fact]
    public async Task DashboardData_BeforeAnyReport_ServesTheSeriesAndNoReport()
    {
        await using var seeded = await SeededRouter.StartAsync(stack);
        using var admin = seeded.Router.CreateClient(RouterServer.AdminKey);

        var data = await admin.GetFromJsonAsync<JsonElement>($"api/dashboard/data?days={Days}");

        Assert.Equal(JsonValueKind.Null, data.GetProperty("report").ValueKind);
        var summarize = data.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("task").GetString() == "summarize");
        Assert.True(summarize.GetProperty("calls").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, summarize.GetProperty("report").ValueKind);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(RouterServer.CallerKey, HttpStatusCode.Forbidden)]
    public async Task DashboardData_WithoutAdminKey_IsRefused(string? key, HttpStatusCode expected)
    {
        using var http = stack.Router.CreateClient(key);

        using var response = await http.GetAsync("api/dashboard/data");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task DashboardPage_Served_IsSelfContainedHtmlWithStrictPolicy()
    {
        using var response = await stack.Router.Http.GetAsync("api/dashboard");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashboardPage_InHeadlessChromium_DrawsTheStoredReportWithReadableChartsAndNoErrors()
    {
        await using var seeded = await SeededRouter.StartAsync(stack);
        using var admin = seeded.Router.CreateClient(RouterServer.AdminKey);
        (await admin.PostAsync("api/distillation/run", null)).EnsureSuccessStatusCode();
        var stored = await admin.GetFromJsonAsync<JsonElement>("api/distillation");
        var reports = stored.GetProperty("reports").EnumerateArray().ToDictionary(r => r.GetProperty("task").GetString()!);
        var screenshot = Environment.GetEnvironmentVariable("ROUTER_DASHBOARD_SCREENSHOT") ?? Path.Combine(Path.GetTempPath(), $"router-dashboard-{Guid.NewGuid():N}.png");

        var result = await RenderAsync(new Uri(seeded.Router.Address, "api/dashboard#key=" + RouterServer.AdminKey), screenshot);

        Assert.Empty(result.GetProperty("consoleErrors").EnumerateArray());
        Assert.Empty(result.GetProperty("foreignRequests").EnumerateArray());
        Assert.DoesNotContain("key=", result.GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.True(result.GetProperty("keyInStorage").GetBoolean());

        // No chart label covers another or runs out of its chart (bounding boxes measured in the browser).
        var labels = result.GetProperty("labels");
        Assert.True(labels.GetProperty("count").GetInt32() > 50, labels.ToString());
        Assert.Empty(labels.GetProperty("overlaps").EnumerateArray());
        Assert.Empty(labels.GetProperty("clipped").EnumerateArray());

        // The header shows the report's totals.
        var totals = stored.GetProperty("totals");
        var header = result.GetProperty("header");
        Assert.Equal(totals.GetProperty("spendUsd").GetDouble(), header.GetProperty("spend").GetDouble(), 9);
        Assert.Equal(totals.GetProperty("spendPerDay").GetDouble(), header.GetProperty("spend-per-day").GetDouble(), 9);
        Assert.Equal(totals.GetProperty("savingPerDay").GetDouble(), header.GetProperty("saving-per-day").GetDouble(), 9);

        var tasks = result.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("task").GetString()!);
        foreach (var task in new[] { "summarize", "ticket-triage", "contract-qa", "invoice-extract" })
        {
            var card = tasks[task];
            // Cost bars + call bars (2 series) + latency points (2 series) per day, plus route-mix segments.
            Assert.True(card.GetProperty("points").GetInt32() >= 5 * Days, $"{task}: {card}");
            Assert.Equal(reports[task].GetProperty("nextStep").GetProperty("sentence").GetString(), card.GetProperty("nextStep").GetString());
            Assert.Equal(reports[task].GetProperty("verdict").GetString(), card.GetProperty("verdict").GetString());
            Assert.Equal(["prompt", "retrieval", "cheaper-model", "fine-tune"], card.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
        }

        var summarize = tasks["summarize"];
        Assert.Equal(1, summarize.GetProperty("breakEvenMarks").GetInt32());
        Assert.Equal(1, summarize.GetProperty("todayMarks").GetInt32());
        Assert.True(summarize.GetProperty("breakEvenWidth").GetDouble() >= 0.9 * summarize.GetProperty("cardWidth").GetDouble(), summarize.ToString());
        var v = reports["summarize"].GetProperty("callsPerDay").GetDecimal();
        var volume = reports["summarize"].GetProperty("provisional").GetBoolean() ? $"about {v:#,0}/day (provisional)" : $"average {v:#,0}/day";
        Assert.Equal(volume, summarize.GetProperty("todayLabel").GetString());
        Assert.Equal($"break-even {reports["summarize"].GetProperty("breakEvenCallsPerDay").GetDecimal():#,0}/day", summarize.GetProperty("breakEvenLabel").GetString());
        Assert.False(summarize.GetProperty("logAxis").GetBoolean());
        // A dozen calls a day against a break-even in the thousands: the volume axis is logarithmic.
        Assert.True(tasks["invoice-extract"].GetProperty("logAxis").GetBoolean(), tasks["invoice-extract"].ToString());
        Assert.Equal("not eligible: keep facts in retrieval", tasks["contract-qa"].GetProperty("notEligible").GetString());
        Assert.Equal(0, tasks["contract-qa"].GetProperty("breakEvenMarks").GetInt32());

        // The shadow evidence: every candidate of the stored report, one row each, with the report's figures.
        foreach (var (task, report) in reports)
        {
            var candidates = report.GetProperty("candidates").EnumerateArray().ToList();
            var rows = tasks[task].GetProperty("evidence").EnumerateArray().ToList();
            Assert.Equal(candidates.Select(c => c.GetProperty("candidate").GetString()), rows.Select(r => r.GetProperty("candidate").GetString()));
            foreach (var (c, row) in candidates.Zip(rows))
            {
                var values = row.GetProperty("values");
                Assert.Equal(c.GetProperty("samples").GetInt64(), long.Parse(values.GetProperty("samples").GetString()!, CultureInfo.InvariantCulture));
                Assert.Equal(c.GetProperty("agreementRate").GetDouble(), double.Parse(values.GetProperty("agreement").GetString()!, CultureInfo.InvariantCulture), 12);
                Assert.Equal(c.GetProperty("costPerCall").GetDecimal(), decimal.Parse(values.GetProperty("cost-per-call").GetString()!, CultureInfo.InvariantCulture));
                Assert.Equal(c.GetProperty("evaluationSpendUsd").GetDecimal(), decimal.Parse(values.GetProperty("evaluation").GetString()!, CultureInfo.InvariantCulture));
                Assert.Equal(c.GetProperty("meetsBar").GetBoolean(), row.GetProperty("meetsBar").GetBoolean());
                var interval = string.Create(CultureInfo.InvariantCulture, $"[{c.GetProperty("agreementLower").GetDouble() * 100:0.0}%, {c.GetProperty("agreementUpper").GetDouble() * 100:0.0}%]");
                Assert.Contains(interval, row.GetProperty("text").GetProperty("agreement").GetString(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(2, tasks["summarize"].GetProperty("evidence").GetArrayLength() + tasks["invoice-extract"].GetProperty("evidence").GetArrayLength());
        Assert.StartsWith("Shadow evidence: quality bar 90% agreement", tasks["summarize"].GetProperty("evidenceCaption").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, tasks["contract-qa"].GetProperty("evidence").GetArrayLength());
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }

    /// <summary>The page as headless Chromium renders it (render-dashboard.mjs): what a person would see, as JSON.</summary>
    internal static async Task<JsonElement> RenderAsync(Uri page, string screenshot)
    {
        var script = Path.Combine(RepositoryPaths.Root, "tests", "Router.Functions.Tests", "Dashboard", "render-dashboard.mjs");
        using var node = Process.Start(new ProcessStartInfo("node", [script, page.ToString(), screenshot])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        })!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        Assert.True(node.ExitCode == 0, $"Chromium render failed (is chromium installed? scripts/install.sh installs it):\n{await stderr}\n{await stdout}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }

    /// <summary>A router reading its own rollups table, seeded with 14 days for three tasks.</summary>
    private sealed class SeededRouter : IAsyncDisposable
    {
        private SeededRouter(RouterServer router, List<Router.Core.Ledger.RollupRecord> rows)
        {
            Router = router;
            Rows = rows;
        }

        public RouterServer Router { get; }

        public List<Router.Core.Ledger.RollupRecord> Rows { get; }

        public static async Task<SeededRouter> StartAsync(SharedServers stack)
        {
            var table = "Rollups" + Guid.NewGuid().ToString("N")[..12];
            var settings = stack.Settings;
            settings["Router:Storage:RollupsTable"] = table;
            settings["Router:Storage:ReportsTable"] = "Reports" + table[7..];
            settings["Router:Storage:ShadowRollupsTable"] = "Shadow" + table[7..];
            var router = await RouterServer.StartAsync(settings);
            var rows = await RollupSeed.WriteAsync(stack.Azurite.ConnectionString, table, TimeProvider.System.GetUtcNow(), Days);
            await ShadowRollupSeed.WriteAsync(stack.Azurite.ConnectionString, "Shadow" + table[7..], TimeProvider.System.GetUtcNow());
            return new SeededRouter(router, rows);
        }

        public ValueTask DisposeAsync() => Router.DisposeAsync();
    }
}
