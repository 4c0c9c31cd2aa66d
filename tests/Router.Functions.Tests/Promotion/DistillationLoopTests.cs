using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Catalog;
using Router.Core.Classifier;
using Router.Core.Distillation.Samples;
using Router.Core.Ledger;
using Router.Core.Tests.Classifier;
using Router.Emulator.Recording;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Promotion;

/// <summary>
/// The whole loop on the local stack (Azurite tables and blobs, the emulator over HTTP, two routers on one
/// Azurite): traffic captures samples, training makes a version, the version is shadowed as a candidate,
/// a promotion moves the calls to the classifier on both instances, a restore moves them back; a degraded
/// version promoted by force is rolled back by the rule.
/// </summary>
public sealed class DistillationLoopTests(LoopServers servers) : IClassFixture<LoopServers>
{
    /// <summary>Held-out accuracy the first version must beat (the emulator labels by keywords, which an n-gram model learns).</summary>
    private const double AccuracyThreshold = 0.9;

    /// <summary>Calls a degraded promotion may serve before the rule rolls it back (its live agreement is about 1 in 5).</summary>
    private const int RollbackWithinCalls = 120;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task DistillationLoop_TrafficTrainShadowPromoteRestore_ClassifierServesThenLargeAgain()
    {
        var settingsA = servers.Settings();
        settingsA[RouterInstance.SettingName] = "loop-a";
        var settingsB = servers.Settings();
        settingsB[RouterInstance.SettingName] = "loop-b";
        await using var a = await RouterServer.StartAsync(settingsA);
        await using var b = await RouterServer.StartAsync(settingsB);
        using var admin = a.CreateClient(RouterServer.AdminKey);
        var corpus = KeywordCorpus.Generate(2_400, seed: 7);

        // 1. Traffic on the large route captures (input, large label) samples: 2,000 distinct tickets.
        var first = await LoopServers.TriageAsync(a, corpus.Take(2_000).Select(c => c.Text));
        Assert.All(first, s => Assert.Equal(("large", "large"), (s.Route, s.Model)));
        var task = a.Services.GetRequiredService<TaskCatalog>().Tasks.Single(t => t.Name == "ticket-triage");
        var samples = a.Services.GetRequiredService<SampleStore>();
        await EventuallyAsync(async () => await samples.CountEligibleAsync(task.Name, task.PromptVersion, CancellationToken.None) >= 2_000, "2,000 samples captured");

        // 2. Training makes a version with held-out metrics against the large labels.
        using var trainResponse = await admin.PostAsync("api/distillation/ticket-triage/train", null);
        var trained = await trainResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(trainResponse.StatusCode == HttpStatusCode.OK, trained.ToString());
        var version = trained.GetProperty("version").GetString()!;
        var accuracy = trained.GetProperty("metrics").GetProperty("accuracy").GetDouble();
        Assert.True(accuracy > AccuracyThreshold, $"held-out accuracy {accuracy}");
        Assert.True(trained.GetProperty("metrics").GetProperty("heldOutCount").GetInt32() >= 300);

        // Both instances load the same version from Blob Storage.
        await Eventually.UntilAsync(() => b.Services.GetRequiredService<LocalClassifiers>().Current("triage-classifier")?.Version == version, "instance B loads the trained version", TimeSpan.FromSeconds(20));

        // 3. The version is a candidate: later calls are shadowed to it, and its evidence accrues under its version.
        await LoopServers.TriageAsync(a, corpus.Skip(2_000).Take(300).Select(c => c.Text));
        await WaitForShadowsAsync(a);
        await a.DrainAsync();
        var candidate = "classifier@" + version;
        using (var run = await admin.PostAsync("api/distillation/run", null))
        {
            var report = Report(await run.Content.ReadFromJsonAsync<JsonElement>());
            var shadowed = report.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("candidate").GetString() == candidate);
            Assert.True(shadowed.GetProperty("samples").GetInt64() >= 250, shadowed.ToString());
        }

        // 4. Promotion (no force: the evidence meets the 90% bar) switches the task on both instances.
        using (var promote = await admin.PostAsJsonAsync("api/tasks/ticket-triage/route", new { candidate = "classifier", reason = "shadow agreement above the bar" }))
        {
            var body = await promote.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(promote.StatusCode == HttpStatusCode.OK, body.ToString());
            var promoted = body.GetProperty("override");
            Assert.Equal((version, false), (promoted.GetProperty("version").GetString(), promoted.GetProperty("forced").GetBoolean()));
            Assert.True(promoted.GetProperty("evidence").GetProperty("agreementLower").GetDouble() >= 0.9);
        }

        await EventuallyAsync(async () => (await TaskRouteAsync(b)).Source == "override", "instance B applies the promotion within its refresh interval", TimeSpan.FromSeconds(10));

        // 5. Calls are served by the classifier (both instances); upstream sees only the large shadow slice and low-confidence cascades.
        var stats = servers.Emulator.App.Services.GetRequiredService<EmulatorStats>();
        await WaitForShadowsAsync(a);
        await a.DrainAsync();
        var largeBefore = stats.For("gpt-4o").Requests;
        var smallBefore = stats.For("gpt-4o-mini-ft").Requests + stats.For("gpt-4o-mini").Requests;
        var fresh = KeywordCorpus.Generate(200, seed: 8).Select(c => c.Text).ToArray();
        var servedA = await LoopServers.TriageAsync(a, fresh.Take(100));
        var servedB = await LoopServers.TriageAsync(b, fresh.Skip(100));
        var byClassifier = servedA.Concat(servedB).Where(s => !s.Fallback).ToArray();
        Assert.All(byClassifier, s => Assert.Equal(("small", "triage-classifier"), (s.Route, s.Model)));
        Assert.True(byClassifier.Length >= 180, $"{byClassifier.Length} of 200 served by the classifier");
        Assert.All(servedA.Concat(servedB).Where(s => s.Fallback), s => Assert.Equal("low-confidence", s.FallbackReason));

        await WaitForShadowsAsync(a);
        await WaitForShadowsAsync(b);
        await a.DrainAsync();
        await b.DrainAsync();
        var ledger = new LedgerReader(servers.Azurite.ConnectionString);
        var liveShadows = 0;
        foreach (var call in servedA.Concat(servedB))
        {
            var rows = await ledger.ByRequestAsync(call.CallId);
            var served = Assert.Single(rows, r => r.CallId == call.CallId);
            Assert.Equal(call.Fallback ? "large" : "triage-classifier", served.Model);
            liveShadows += rows.Count(r => r.Status == CallStatus.Shadow && r.Model == "large");
        }

        var cascades = servedA.Concat(servedB).Count(s => s.Fallback);
        Assert.Equal(liveShadows + cascades, stats.For("gpt-4o").Requests - largeBefore);
        Assert.Equal(0, stats.For("gpt-4o-mini-ft").Requests + stats.For("gpt-4o-mini").Requests - smallBefore);
        Assert.InRange(liveShadows, 20, 90); // a quarter of the classifier's calls, drawn by a hash of the call id

        // The report sees the promoted route: distilled, with the live agreement of the promoted version and its lifecycle.
        JsonElement promotedReport;
        using (var run = await admin.PostAsync("api/distillation/run", null))
        {
            var report = promotedReport = Report(await run.Content.ReadFromJsonAsync<JsonElement>()).Clone();
            Assert.Equal("distilled", report.GetProperty("verdict").GetString());
            Assert.Contains(report.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("candidate").GetString() == "live:triage-classifier@" + version);
            var life = report.GetProperty("lifecycle");
            Assert.Equal(("override", version), (life.GetProperty("routeSource").GetString(), life.GetProperty("promoted").GetProperty("version").GetString()));
            Assert.Equal(version, life.GetProperty("classifier").GetProperty("version").GetString());
            Assert.Equal(accuracy, life.GetProperty("classifier").GetProperty("heldOutAccuracy").GetDouble(), 10);
            var since = life.GetProperty("sincePromotion");
            Assert.Equal(byClassifier.Length, since.GetProperty("served").GetInt64());
            // Served by a classifier at 0 USD per call: the saving is every kept call at the large route's measured cost per call.
            Assert.Equal(byClassifier.Length * since.GetProperty("largeCostPerCall").GetDecimal(), since.GetProperty("savingUsd").GetDecimal());
            Assert.True(since.GetProperty("savingUsd").GetDecimal() > 0);
        }

        await AssertDashboardShowsLifecycleAsync(a, admin, promotedReport, version);

        using (var markdown = await admin.GetAsync("api/distillation?format=md"))
        {
            var text = await markdown.Content.ReadAsStringAsync();
            Assert.Contains($"- **promoted**: classifier@{version} (triage-classifier) serves since", text, StringComparison.Ordinal);
            Assert.Contains($"{byClassifier.Length:#,0} calls served", text, StringComparison.Ordinal);
        }

        // 6. Restore: the catalog route serves again, on both instances.
        using (var restore = await admin.DeleteAsync("api/tasks/ticket-triage/route?reason=done"))
        {
            Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        }

        await EventuallyAsync(async () => (await TaskRouteAsync(b)).Source == "catalog", "instance B drops the promotion", TimeSpan.FromSeconds(10));
        var after = await LoopServers.TriageAsync(b, KeywordCorpus.Generate(20, seed: 9).Select(c => c.Text));
        Assert.All(after, s => Assert.Equal(("large", "large"), (s.Route, s.Model)));
        Assert.Equal(("large", "catalog"), await TaskRouteAsync(a));
        using (var run = await admin.PostAsync("api/distillation/run", null))
        {
            var history = Report(await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lifecycle").GetProperty("history").EnumerateArray().ToArray();
            Assert.Equal(["restored", "promoted"], history.Select(h => h.GetProperty("kind").GetString()));
            Assert.Equal(("ops", "done"), (history[0].GetProperty("by").GetString(), history[0].GetProperty("reason").GetString()));
        }
    }

    /// <summary>
    /// The dashboard shows the lifecycle the report has: its data call carries the report's lifecycle and
    /// candidates unchanged, and the page (headless Chromium) draws the same figures: candidate versions,
    /// held-out and live agreement, promoted since, savings since the promotion.
    /// </summary>
    private static async Task AssertDashboardShowsLifecycleAsync(RouterServer router, HttpClient admin, JsonElement report, string version)
    {
        var data = await admin.GetFromJsonAsync<JsonElement>("api/dashboard/data");
        var carried = data.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("task").GetString() == "ticket-triage").GetProperty("report");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(report.GetProperty("lifecycle").GetRawText()), JsonNode.Parse(carried.GetProperty("lifecycle").GetRawText())), "the dashboard's lifecycle differs from the report's");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(report.GetProperty("candidates").GetRawText()), JsonNode.Parse(carried.GetProperty("candidates").GetRawText())), "the dashboard's candidate versions differ from the report's");

        var page = await Dashboard.DashboardFunctionTests.RenderAsync(new Uri(router.Address, "api/dashboard#key=" + RouterServer.AdminKey), Path.Combine(Path.GetTempPath(), $"router-loop-dashboard-{Guid.NewGuid():N}.png"));
        Assert.Empty(page.GetProperty("consoleErrors").EnumerateArray());
        var shown = page.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("task").GetString() == "ticket-triage").GetProperty("lifecycle").GetProperty("values");
        var life = report.GetProperty("lifecycle");
        var since = life.GetProperty("sincePromotion");
        var live = report.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("candidate").GetString() == "live:triage-classifier@" + version);
        Assert.Equal(("override", "classifier@" + version, version), (Value(shown, "route-source"), Value(shown, "promoted"), Value(shown, "classifier-version")));
        Assert.Equal(life.GetProperty("promoted").GetProperty("promotedAt").GetString(), Value(shown, "promoted-since"));
        Assert.Equal(life.GetProperty("classifier").GetProperty("heldOutAccuracy").GetDouble(), Number(shown, "held-out"), 12);
        Assert.Equal(live.GetProperty("agreementRate").GetDouble(), Number(shown, "live-agreement"), 12);
        Assert.Equal(since.GetProperty("served").GetInt64(), (long)Number(shown, "served"));
        Assert.Equal(since.GetProperty("savingUsd").GetDouble(), Number(shown, "saving"), 12); // the page's numbers are JavaScript doubles
        var candidate = report.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("candidate").GetString() == "classifier@" + version);
        Assert.Equal(candidate.GetProperty("agreementRate").GetDouble(), Number(shown, "version:classifier@" + version), 12);
    }

    private static string Value(JsonElement values, string field) =>
        values.TryGetProperty(field, out var value) ? value.GetString()! : throw new Xunit.Sdk.XunitException($"the dashboard shows no '{field}': {values}");

    private static double Number(JsonElement values, string field) =>
        double.Parse(Value(values, field), System.Globalization.CultureInfo.InvariantCulture);

    private static JsonElement Report(JsonElement run) =>
        run.GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("task").GetString() == "ticket-triage");

    private static async Task<(string Route, string Source)> TaskRouteAsync(RouterServer router)
    {
        using var http = router.CreateClient(RouterServer.CallerKey);
        var body = await http.GetFromJsonAsync<JsonElement>("api/tasks");
        var task = body.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("task").GetString() == "ticket-triage");
        return (task.GetProperty("route").GetString()!, task.GetProperty("routeSource").GetString()!);
    }

    private static Task WaitForShadowsAsync(RouterServer router)
    {
        var shadows = router.Services.GetRequiredService<Router.Core.Evaluation.ShadowDispatcher>();
        return Eventually.UntilAsync(() => shadows.Pending == 0, "shadow calls finished", TimeSpan.FromSeconds(30));
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Did not happen in time: {what}.");
            await Task.Delay(50);
        }
    }
}
