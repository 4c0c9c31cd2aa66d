using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Dashboard;

/// <summary>GET /api/dashboard and /api/dashboard/data over seeded RouterRollups, and the page as Chromium renders it.</summary>
[Collection(SharedServersDefinition.Name)]
public sealed class DashboardFunctionTests(SharedServers stack)
{
    private const int Days = 14;

    [Fact]
    public async Task DashboardData_SeededRollups_SumsPerTaskAndBreakEven()
    {
        await using var seeded = await SeededRouter.StartAsync(stack);
        using var admin = seeded.Router.CreateClient(RouterServer.AdminKey);

        var data = await admin.GetFromJsonAsync<JsonElement>($"api/dashboard/data?days={Days}");

        var tasks = data.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("task").GetString()!);
        foreach (var task in new[] { "summarize", "ticket-triage", "contract-qa" })
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
        var summarize = tasks["summarize"].GetProperty("distillation");
        var callsPerDay = summarize.GetProperty("callsPerDay").GetDecimal();
        Assert.Equal(seeded.Rows.Where(r => r.Task == "summarize").Sum(r => r.Calls) / (decimal)Days, callsPerDay);
        var breakEven = summarize.GetProperty("breakEvenCallsPerDay").GetDecimal();
        var cL = summarize.GetProperty("largeCostPerCall").GetDecimal();
        var cS = summarize.GetProperty("smallCostPerCall").GetDecimal();
        var fixedPerDay = summarize.GetProperty("hostingPerDay").GetDecimal() + summarize.GetProperty("fixedCostPerDay").GetDecimal();
        // At break-even the two cost lines the page draws meet: V* x c_L = V* x c_S + H + F/R.
        Assert.Equal(breakEven * cL, (breakEven * cS) + fixedPerDay, 6);
        // Knowledge tasks have no small model in the catalog: no break-even chart.
        Assert.False(tasks["contract-qa"].TryGetProperty("distillation", out var none) && none.ValueKind != JsonValueKind.Null);
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
    public async Task DashboardPage_InHeadlessChromium_DrawsDataPointsForSeededTasksWithoutErrors()
    {
        await using var seeded = await SeededRouter.StartAsync(stack);
        var screenshot = Environment.GetEnvironmentVariable("ROUTER_DASHBOARD_SCREENSHOT") ?? Path.Combine(Path.GetTempPath(), $"router-dashboard-{Guid.NewGuid():N}.png");

        var result = await RenderAsync(new Uri(seeded.Router.Address, "api/dashboard#key=" + RouterServer.AdminKey), screenshot);

        Assert.Empty(result.GetProperty("consoleErrors").EnumerateArray());
        Assert.Empty(result.GetProperty("foreignRequests").EnumerateArray());
        Assert.DoesNotContain("key=", result.GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.True(result.GetProperty("keyInStorage").GetBoolean());
        var tasks = result.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("task").GetString()!);
        foreach (var task in new[] { "summarize", "ticket-triage", "contract-qa" })
        {
            // Cost bars + call bars (2 series) + latency points (2 series) per day, plus route-mix segments.
            Assert.True(tasks[task].GetProperty("points").GetInt32() >= 5 * Days, $"{task}: {tasks[task]}");
        }

        Assert.Equal(1, tasks["summarize"].GetProperty("breakEvenMarks").GetInt32());
        Assert.Equal(1, tasks["summarize"].GetProperty("todayMarks").GetInt32());
        Assert.Equal(0, tasks["contract-qa"].GetProperty("breakEvenMarks").GetInt32());
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }

    private static async Task<JsonElement> RenderAsync(Uri page, string screenshot)
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
            var router = await RouterServer.StartAsync(settings);
            var rows = await RollupSeed.WriteAsync(stack.Azurite.ConnectionString, table, DateTimeOffset.UtcNow, Days);
            return new SeededRouter(router, rows);
        }

        public ValueTask DisposeAsync() => Router.DisposeAsync();
    }
}
