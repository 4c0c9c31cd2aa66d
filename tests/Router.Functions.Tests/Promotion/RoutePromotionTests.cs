using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Catalog;
using Router.Core.Classifier;
using Router.Core.Promotion;
using Router.Core.Tests.Classifier;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Promotion;

/// <summary>
/// Promotion's refusals and the automatic rollback, over HTTP on a stack of their own. The degraded
/// classifier is a version trained on shuffled labels (it agrees with the large model about one time in
/// five), stored in Blob Storage and pointed at as any training run would.
/// </summary>
public sealed class RoutePromotionTests(LoopServers servers) : IClassFixture<LoopServers>
{
    /// <summary>Calls a degraded promotion may serve before the rule has rolled it back.</summary>
    private const int RollbackWithinCalls = 100;

    private const int Batch = 10;

    [Fact]
    public async Task Promote_BadInput_ClearFourHundredsNamingTheProblem()
    {
        await using var router = await RouterServer.StartAsync(servers.Settings());
        using var admin = router.CreateClient(RouterServer.AdminKey);
        using var caller = router.CreateClient(RouterServer.CallerKey);

        await AssertProblemAsync(await admin.PostAsync("api/distillation/summarize/train", null), HttpStatusCode.Conflict, "generation task");
        await AssertProblemAsync(await admin.PostAsync("api/distillation/ticket-triage/train", null), HttpStatusCode.Conflict, "training needs at least 100");
        await AssertProblemAsync(await admin.PostAsJsonAsync("api/tasks/ticket-triage/route", new { candidate = "nope", reason = "r" }), HttpStatusCode.BadRequest, "no candidate 'nope'");
        await AssertProblemAsync(await admin.PostAsJsonAsync("api/tasks/ticket-triage/route", new { candidate = "classifier" }), HttpStatusCode.BadRequest, "'reason' is required");
        await AssertProblemAsync(await admin.PostAsJsonAsync("api/tasks/ticket-triage/route", new { candidate = "classifier", reason = "r", force = "yes" }), HttpStatusCode.BadRequest, "'force' must be true or false");
        await AssertProblemAsync(await admin.PostAsJsonAsync("api/tasks/no-such-task/route", new { candidate = "classifier", reason = "r" }), HttpStatusCode.NotFound, "Unknown task 'no-such-task'");
        await AssertProblemAsync(await caller.PostAsJsonAsync("api/tasks/ticket-triage/route", new { candidate = "classifier", reason = "r" }), HttpStatusCode.Forbidden, "admin");
        await AssertProblemAsync(await caller.DeleteAsync("api/tasks/ticket-triage/route"), HttpStatusCode.Forbidden, "admin");

        // A candidate without shadow evidence is refused with the numbers; the route stays the catalog's.
        await AssertProblemAsync(await admin.PostAsJsonAsync("api/tasks/ticket-triage/route", new { candidate = "mini", reason = "cheaper" }), HttpStatusCode.Conflict, "does not meet the quality bar: no shadow samples yet");
        Assert.Null(router.Services.GetRequiredService<RouteOverrides>().Current("ticket-triage"));
    }

    [Theory]
    [InlineData("0", "0.5", "the upper bound is under the 90.0% quality bar")] // every call served by the classifier; its live shadow slice disagrees
    [InlineData("0.99", "0", "cascaded to large over the last hour")] // nearly every call cascades (low confidence); no live slice
    public async Task Promote_DegradedVersionForced_RolledBackByTheRuleWithinBoundedCalls(string confidenceThreshold, string largeShadowRate, string why)
    {
        await using var hook = await Distillation.WebhookReceiver.StartAsync();
        var settings = servers.Settings();
        settings["Router:Distillation:WebhookUrl"] = hook.Url.ToString();
        settings["Router:Tasks:ticket-triage:ConfidenceThreshold"] = confidenceThreshold;
        settings["Router:Tasks:ticket-triage:LargeShadow:ShadowRate"] = largeShadowRate;
        await using var router = await RouterServer.StartAsync(settings);
        using var admin = router.CreateClient(RouterServer.AdminKey);
        var version = await ServeShuffledVersionAsync(router);

        await AssertProblemAsync(await admin.PostAsJsonAsync("api/tasks/ticket-triage/route", new { candidate = "classifier", reason = "try it" }), HttpStatusCode.Conflict, "does not meet the quality bar");
        using (var forced = await admin.PostAsJsonAsync("api/tasks/ticket-triage/route", new { candidate = "classifier", reason = "try it anyway", force = true }))
        {
            var body = await forced.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(forced.StatusCode == HttpStatusCode.OK, body.ToString());
            Assert.True(body.GetProperty("override").GetProperty("forced").GetBoolean());
        }

        var overrides = router.Services.GetRequiredService<RouteOverrides>();
        var tickets = KeywordCorpus.Generate(RollbackWithinCalls, seed: 11).Select(c => c.Text).ToArray();
        var sent = 0;
        while (overrides.Current("ticket-triage") is not null)
        {
            Assert.True(sent < RollbackWithinCalls, $"still promoted after {sent} calls");
            var served = await LoopServers.TriageAsync(router, tickets.Skip(sent).Take(Batch), parallel: 4);
            Assert.All(served, s => Assert.Equal(s.Fallback ? "large" : "triage-classifier", s.Model));
            sent += Batch;
            await WaitRolledBackOrSettledAsync(router, overrides);
        }

        var history = await router.Services.GetRequiredService<RouteOverrideStore>().ReadHistoryAsync("ticket-triage", 10, CancellationToken.None);
        var rolledBack = history[0];
        Assert.Equal((RouteOverrideEvent.RolledBack, RoutePromotion.Rule, version), (rolledBack.Kind, rolledBack.By, rolledBack.Version));
        Assert.Contains(why, rolledBack.Reason, StringComparison.Ordinal);
        Assert.Equal(RouteOverrideEvent.Promoted, history[1].Kind);
        Assert.True(history[1].Forced);

        // The webhook received the event, with the same why.
        await Eventually.UntilAsync(() => !hook.Accepted.IsEmpty, "the webhook receives the rollback", TimeSpan.FromSeconds(20));
        var posted = JsonDocument.Parse(Assert.Single(hook.Accepted)).RootElement;
        Assert.Equal(("rolled-back", "ticket-triage", version), (posted.GetProperty("event").GetString(), posted.GetProperty("task").GetString(), posted.GetProperty("version").GetString()));
        Assert.Equal(rolledBack.Reason, posted.GetProperty("reason").GetString());

        // The next report shows the rollback with why.
        using (var run = await admin.PostAsync("api/distillation/run", null))
        {
            Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        }

        var markdown = await admin.GetStringAsync("api/distillation?format=md");
        Assert.Contains($"**rolled back** classifier@{version} by router: ", markdown, StringComparison.Ordinal);
        Assert.Contains(why, markdown, StringComparison.Ordinal);

        // The dashboard page shows it too, with the same why.
        var page = await Dashboard.DashboardFunctionTests.RenderAsync(new Uri(router.Address, "api/dashboard#key=" + RouterServer.AdminKey), Path.Combine(Path.GetTempPath(), $"router-rollback-dashboard-{Guid.NewGuid():N}.png"));
        var steps = page.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("task").GetString() == "ticket-triage").GetProperty("lifecycle").GetProperty("history").EnumerateArray().ToArray();
        Assert.Equal(("rolled-back", "classifier@" + version, rolledBack.Reason), (steps[0].GetProperty("kind").GetString(), steps[0].GetProperty("candidate").GetString(), steps[0].GetProperty("reason").GetString()));
        Assert.Contains("rolled back classifier@" + version + " by router", steps[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        // Served by large again, and no flapping: nothing promotes it back by itself.
        var after = await LoopServers.TriageAsync(router, KeywordCorpus.Generate(5, seed: 12).Select(c => c.Text));
        Assert.All(after, s => Assert.Equal(("large", "large"), (s.Route, s.Model)));
        await router.Services.GetRequiredService<RouteOverrideRefresher>().RefreshAsync(CancellationToken.None);
        Assert.Null(overrides.Current("ticket-triage"));

        // Back on large, the version is shadowed again as the candidate: its evidence is marked rolled back in the report.
        await Eventually.UntilAsync(() => router.Services.GetRequiredService<Router.Core.Evaluation.ShadowDispatcher>().Pending == 0, "shadow calls finished", TimeSpan.FromSeconds(30));
        await router.DrainAsync();
        using (var run = await admin.PostAsync("api/distillation/run", null))
        {
            var report = (await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("task").GetString() == "ticket-triage");
            Assert.True(report.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("candidate").GetString() == "classifier@" + version).GetProperty("rolledBack").GetBoolean());
        }

        Assert.Contains(" · rolled back", await admin.GetStringAsync("api/distillation?format=md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_CorruptVersionBlob_PreviousVersionKeepsServingAndHealthSaysSo()
    {
        await using var router = await RouterServer.StartAsync(servers.Settings());
        var serving = await ServeShuffledVersionAsync(router);
        var container = new BlobServiceClient(servers.Azurite.ConnectionString).GetBlobContainerClient("router-models");
        await container.GetBlobClient(ClassifierArtefactStore.ModelBlob("triage-classifier", "badbadbadbadbad0")).UploadAsync(BinaryData.FromString("not a model"), overwrite: true);
        await router.Services.GetRequiredService<ClassifierArtefactStore>().SetCurrentAsync("triage-classifier", "badbadbadbadbad0", CancellationToken.None);

        var classifiers = router.Services.GetRequiredService<LocalClassifiers>();
        await Eventually.UntilAsync(() => classifiers.State("triage-classifier").FailedVersion == "badbadbadbadbad0", "the corrupt version fails to load", TimeSpan.FromSeconds(20));
        Assert.Equal(serving, classifiers.Current("triage-classifier")?.Version);

        using var http = router.CreateClient(null);
        var health = await http.GetFromJsonAsync<JsonElement>("api/health");
        var model = health.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "triage-classifier");
        Assert.Equal(("degraded", serving), (model.GetProperty("status").GetString(), model.GetProperty("version").GetString()));
        Assert.Contains("badbadbadbadbad0", model.GetProperty("error").GetString(), StringComparison.Ordinal);

        // Put the good version back for the other tests of this class.
        await router.Services.GetRequiredService<ClassifierArtefactStore>().SetCurrentAsync("triage-classifier", serving, CancellationToken.None);
    }

    /// <summary>Trains a version on shuffled labels, stores it and points the model at it; returns its version once the router serves it.</summary>
    internal static async Task<string> ServeShuffledVersionAsync(RouterServer router)
    {
        var catalog = router.Services.GetRequiredService<TaskCatalog>();
        catalog.TryResolve("ticket-triage", out var task);
        var model = catalog.Models.Single(m => m.Name == "triage-classifier");
        var rows = KeywordCorpus.Generate(1_000, seed: 5, shuffleLabels: true)
            .Select(c => new LabelledText(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(c.Text))), c.Text, c.Label))
            .ToArray();
        var artefact = ClassifierTrainer.Train(model.Name, task.Name, task.Output.Labels, rows, model.Classifier!, TimeProvider.System);
        var store = router.Services.GetRequiredService<ClassifierArtefactStore>();
        await store.SaveAsync(artefact, CancellationToken.None);
        await store.SetCurrentAsync(model.Name, artefact.Info.Version, CancellationToken.None);
        var classifiers = router.Services.GetRequiredService<LocalClassifiers>();
        await Eventually.UntilAsync(() => classifiers.Current(model.Name)?.Version == artefact.Info.Version, "the router serves the shuffled version", TimeSpan.FromSeconds(20));
        return artefact.Info.Version;
    }

    /// <summary>
    /// After a batch: its shadow calls are done and its rows in storage; then the rule (the refresher, every
    /// 200 ms, after rollups flushed every 100 ms) gets up to a second to judge it before the next batch.
    /// </summary>
    private static async Task WaitRolledBackOrSettledAsync(RouterServer router, RouteOverrides overrides)
    {
        var shadows = router.Services.GetRequiredService<Router.Core.Evaluation.ShadowDispatcher>();
        await Eventually.UntilAsync(() => shadows.Pending == 0, "shadow calls finished", TimeSpan.FromSeconds(30));
        await router.DrainAsync();
        var settle = TimeProvider.System.GetUtcNow().AddSeconds(1);
        while (overrides.Current("ticket-triage") is not null && TimeProvider.System.GetUtcNow() < settle)
        {
            await Task.Delay(25);
        }
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
            Assert.Contains(detail, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }
}
