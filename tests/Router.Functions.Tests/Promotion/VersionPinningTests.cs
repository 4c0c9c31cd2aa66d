using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Catalog;
using Router.Core.Classifier;
using Router.Core.Distillation.Samples;
using Router.Core.Ledger;
using Router.Core.Tests.Classifier;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Promotion;

/// <summary>
/// A promotion is pinned to the version its evidence was measured on: versions trained after it become
/// candidates, measured on the promoted route's large shadow slice, and are never served by the route
/// until a person promotes them (on this instance, and on one started after the pointer moved).
/// </summary>
public sealed class VersionPinningTests(LoopServers servers) : IClassFixture<LoopServers>
{
    private const string Model = "triage-classifier";

    [Fact]
    public async Task Promote_ThenNewerVersionsTrained_RouteServesThePinnedVersionAndTheNewestIsACandidate()
    {
        var settings = servers.Settings();
        settings["Router:Tasks:ticket-triage:LargeShadow:ShadowRate"] = "1";
        settings[RouterInstance.SettingName] = "pin-a";
        await using var a = await RouterServer.StartAsync(settings);
        using var admin = a.CreateClient(RouterServer.AdminKey);
        var classifiers = a.Services.GetRequiredService<LocalClassifiers>();
        var corpus = KeywordCorpus.Generate(1_200, seed: 21);

        // Two trainings on the large route: v1 on 600 samples, v2 on 900.
        await LoopServers.TriageAsync(a, corpus.Take(600).Select(c => c.Text));
        var v1 = await TrainAsync(a, admin, 600);
        await LoopServers.TriageAsync(a, corpus.Skip(600).Take(300).Select(c => c.Text));
        await WaitForShadowsAsync(a);

        // Promote v1 explicitly (by version), then train v2.
        using (var promote = await admin.PostAsJsonAsync("api/tasks/ticket-triage/route", new { candidate = "classifier", version = v1, reason = "pin v1", force = true }))
        {
            var body = await promote.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(promote.StatusCode == HttpStatusCode.OK, body.ToString());
            Assert.Equal(v1, body.GetProperty("override").GetProperty("version").GetString());
        }

        var v2 = await TrainAsync(a, admin, 900);
        Assert.NotEqual(v1, v2);
        Assert.Equal(v2, classifiers.Current(Model)?.Version);
        Assert.Equal(v1, classifiers.State(Model).Pinned?.Version);

        // GET /api/tasks: the route serves v1 (pinned), the candidate is measured at v2.
        var listed = await TaskAsync(a);
        Assert.Equal(("override", v1, v1), (listed.GetProperty("routeSource").GetString(), listed.GetProperty("small").GetProperty("version").GetString(), listed.GetProperty("override").GetProperty("version").GetString()));
        var candidate = listed.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("candidate").GetString() == "classifier");
        Assert.Equal(v2, candidate.GetProperty("version").GetString());

        using (var http = a.CreateClient(null))
        {
            var health = await http.GetFromJsonAsync<JsonElement>("api/health");
            var model = health.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == Model);
            Assert.Equal((v2, $"the promoted route is pinned to version {v1}; {v2} is the candidate"), (model.GetProperty("version").GetString(), model.GetProperty("detail").GetString()));
        }

        // A third, bad version (shuffled labels) moves the pointer too: still never served by the route.
        var v3 = await RoutePromotionTests.ServeShuffledVersionAsync(a);
        var pinned = classifiers.Get(Model, v1)!;
        var bad = classifiers.Get(Model, v3)!;
        var fresh = KeywordCorpus.Generate(120, seed: 22).Select(c => c.Text).ToArray();
        var served = await LoopServers.TriageAsync(a, fresh);
        var byClassifier = served.Zip(fresh).Where(s => !s.First.Fallback).ToArray();
        Assert.True(byClassifier.Length >= 60, $"{byClassifier.Length} of {fresh.Length} served by the classifier");
        Assert.All(byClassifier, s => Assert.Equal((Model, pinned.Predict(s.Second).Label), (s.First.Model, s.First.Output)));
        var differ = byClassifier.Count(s => bad.Predict(s.Second).Label != pinned.Predict(s.Second).Label);
        Assert.True(differ >= byClassifier.Length / 2, $"v3 differs from v1 on only {differ} of {byClassifier.Length}: the check would not tell them apart");

        // The newest version is a candidate measured on the promoted route's large shadow slice, under its own name; the route's live slice under v1.
        await WaitForShadowsAsync(a);
        await a.DrainAsync();
        using (var run = await admin.PostAsync("api/distillation/run", null))
        {
            var report = (await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("task").GetString() == "ticket-triage");
            var evidence = report.GetProperty("candidates").EnumerateArray().ToDictionary(c => c.GetProperty("candidate").GetString()!, c => c.GetProperty("samples").GetInt64());
            Assert.True(evidence.GetValueOrDefault("classifier@" + v3) >= 100, string.Join(", ", evidence));
            Assert.True(evidence.GetValueOrDefault("live:" + Model + "@" + v1) >= 100, string.Join(", ", evidence));
            Assert.False(evidence.ContainsKey("live:" + Model + "@" + v3));
            var life = report.GetProperty("lifecycle").GetProperty("classifier");
            Assert.Equal((v3, v1), (life.GetProperty("version").GetString(), life.GetProperty("pinnedVersion").GetString()));
        }

        // An instance started now reads pointer v3 but loads v1 for the promoted route and serves it.
        settings[RouterInstance.SettingName] = "pin-b";
        await using var b = await RouterServer.StartAsync(settings);
        var classifiersB = b.Services.GetRequiredService<LocalClassifiers>();
        await Eventually.UntilAsync(() => classifiersB.State(Model).Pinned?.Version == v1 && classifiersB.Current(Model)?.Version == v3, "instance B pins v1 beside pointer v3", TimeSpan.FromSeconds(20));
        var servedB = await LoopServers.TriageAsync(b, fresh.Take(40));
        Assert.All(servedB.Zip(fresh).Where(s => !s.First.Fallback), s => Assert.Equal(pinned.Predict(s.Second).Label, s.First.Output));

        // Restore: the catalog route; the pin is dropped.
        (await admin.DeleteAsync("api/tasks/ticket-triage/route?reason=done")).EnsureSuccessStatusCode();
        Assert.Null(classifiers.State(Model).Pinned);
        await Eventually.UntilAsync(() => classifiersB.State(Model).Pinned is null, "instance B drops the pin", TimeSpan.FromSeconds(20));
    }

    private static async Task<string> TrainAsync(RouterServer router, HttpClient admin, int samples)
    {
        var task = router.Services.GetRequiredService<TaskCatalog>().Tasks.Single(t => t.Name == "ticket-triage");
        var store = router.Services.GetRequiredService<SampleStore>();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (await store.CountEligibleAsync(task.Name, task.PromptVersion, CancellationToken.None) < samples)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"{samples} samples not captured in time");
            await Task.Delay(50);
        }

        using var response = await admin.PostAsync("api/distillation/ticket-triage/train", null);
        var trained = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, trained.ToString());
        return trained.GetProperty("version").GetString()!;
    }

    private static async Task<JsonElement> TaskAsync(RouterServer router)
    {
        using var http = router.CreateClient(RouterServer.CallerKey);
        var body = await http.GetFromJsonAsync<JsonElement>("api/tasks");
        return body.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("task").GetString() == "ticket-triage").Clone();
    }

    private static Task WaitForShadowsAsync(RouterServer router)
    {
        var shadows = router.Services.GetRequiredService<Router.Core.Evaluation.ShadowDispatcher>();
        return Eventually.UntilAsync(() => shadows.Pending == 0, "shadow calls finished", TimeSpan.FromSeconds(30));
    }
}
