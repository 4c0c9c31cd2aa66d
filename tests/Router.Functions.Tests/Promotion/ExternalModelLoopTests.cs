using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Ledger;
using Router.Core.Tests.Classifier;
using Router.Emulator.Quality;
using Router.Emulator.Recording;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Promotion;

/// <summary>
/// A model trained elsewhere (an open model fine-tuned on the dataset export, served behind an OpenAI-compatible
/// endpoint: here the emulator's <c>triage-ft</c>, which disagrees with the large model on a known share of inputs)
/// goes through the same loop as the local classifier once it is a catalog model and a candidate of the task:
/// shadowed and scored, promoted on its evidence, serving the calls, and restored.
/// </summary>
public sealed class ExternalModelLoopTests(LoopServers servers) : IClassFixture<LoopServers>
{
    private const string Model = "triage-ft";

    [Fact]
    public async Task ExternalFineTune_RegisteredAsCandidate_ShadowedPromotedServesThenRestored()
    {
        var settings = servers.Settings();
        settings["Router:Models:triage-ft:Kind"] = "openai-compatible";
        settings["Router:Models:triage-ft:Endpoint"] = new Uri(servers.Emulator.Address, "v1").ToString();
        settings["Router:Models:triage-ft:Deployment"] = LoopServers.ExternalDeployment;
        settings["Router:Models:triage-ft:Auth"] = "key";
        settings["Router:Models:triage-ft:ApiKey"] = EmulatorServer.ApiKey;
        settings["Router:Models:triage-ft:Prices:InputPerMillion"] = "0.20";
        settings["Router:Models:triage-ft:Prices:OutputPerMillion"] = "0.80";
        settings["Router:Models:triage-ft:Prices:EffectiveDate"] = "2026-12-01";
        settings["Router:Tasks:ticket-triage:Candidates:ft:Model"] = Model;
        settings["Router:Tasks:ticket-triage:Candidates:ft:Prompt"] = "small";
        settings["Router:Tasks:ticket-triage:Candidates:ft:ShadowRate"] = "1";
        settings["Router:Tasks:ticket-triage:Candidates:ft:DailyBudgetUsd"] = "10";
        settings["Router:Tasks:ticket-triage:Candidates:classifier:ShadowRate"] = "0";
        await using var router = await RouterServer.StartAsync(settings);
        using var admin = router.CreateClient(RouterServer.AdminKey);
        var stats = servers.Emulator.App.Services.GetRequiredService<EmulatorStats>();
        var knob = servers.Emulator.App.Services.GetRequiredService<QualityKnob>();

        // 1. Served by large; every call shadowed to the external model on its short prompt.
        var ftBefore = stats.For(LoopServers.ExternalDeployment).Requests;
        var first = await LoopServers.TriageAsync(router, KeywordCorpus.Generate(400, seed: 41).Select(c => c.Text));
        Assert.All(first, s => Assert.Equal(("large", "large"), (s.Route, s.Model)));
        await WaitForShadowsAsync(router);
        await router.DrainAsync();
        Assert.Equal(400, stats.For(LoopServers.ExternalDeployment).Requests - ftBefore);

        // 2. Scored like any candidate: its disagreements are exactly the answers the emulator's knob altered.
        var altered = knob.Counters[LoopServers.ExternalDeployment].Altered;
        using (var run = await admin.PostAsync("api/distillation/run", null))
        {
            var ft = Triage(await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("candidate").GetString() == "ft");
            Assert.Equal((Model, "small", 400L), (ft.GetProperty("model").GetString(), ft.GetProperty("prompt").GetString(), ft.GetProperty("samples").GetInt64()));
            Assert.Equal(altered, 400 - ft.GetProperty("agreements").GetInt64());
            Assert.InRange(altered, 4, 25); // about 3% of 400
            Assert.True(ft.GetProperty("meetsBar").GetBoolean(), ft.ToString());
        }

        // 3. Promoted on that evidence (no force); the external model serves the calls.
        using (var promote = await admin.PostAsJsonAsync("api/tasks/ticket-triage/route", new { candidate = "ft", reason = "external fine-tune agrees above the bar" }))
        {
            var body = await promote.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(promote.StatusCode == HttpStatusCode.OK, body.ToString());
            Assert.Equal(Model, body.GetProperty("override").GetProperty("model").GetString());
            Assert.False(body.GetProperty("override").TryGetProperty("version", out _)); // a deployment has no versions: nothing is pinned
            Assert.Equal(400, body.GetProperty("override").GetProperty("evidence").GetProperty("samples").GetInt64());
        }

        await WaitForShadowsAsync(router);
        await router.DrainAsync();
        var ftServedBefore = stats.For(LoopServers.ExternalDeployment).Requests;
        var largeBefore = stats.For("gpt-4o").Requests;
        var promoted = await LoopServers.TriageAsync(router, KeywordCorpus.Generate(100, seed: 42).Select(c => c.Text));
        Assert.All(promoted, s => Assert.Equal(("small", Model, false), (s.Route, s.Model, s.Fallback)));
        await WaitForShadowsAsync(router);
        await router.DrainAsync();
        var ledger = new LedgerReader(servers.Azurite.ConnectionString);
        var liveShadows = 0;
        foreach (var call in promoted)
        {
            var rows = await ledger.ByRequestAsync(call.CallId);
            Assert.Equal(Model, Assert.Single(rows, r => r.CallId == call.CallId).Model);
            liveShadows += rows.Count(r => r.Status == CallStatus.Shadow && r.Model == "large");
        }

        // Upstream: one request per call to the external deployment, and large only for the live shadow slice (a quarter).
        Assert.Equal(100, stats.For(LoopServers.ExternalDeployment).Requests - ftServedBefore);
        Assert.Equal(liveShadows, stats.For("gpt-4o").Requests - largeBefore);
        Assert.InRange(liveShadows, 10, 45);

        using (var run = await admin.PostAsync("api/distillation/run", null))
        {
            var report = Triage(await run.Content.ReadFromJsonAsync<JsonElement>());
            Assert.Equal("distilled", report.GetProperty("verdict").GetString());
            var life = report.GetProperty("lifecycle");
            Assert.Equal(("override", "ft"), (life.GetProperty("routeSource").GetString(), life.GetProperty("promoted").GetProperty("candidate").GetString()));
            Assert.Equal(100, life.GetProperty("sincePromotion").GetProperty("served").GetInt64());
            Assert.Contains(report.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("candidate").GetString() == "live:" + Model);
        }

        // 4. DELETE restores the catalog route: large serves again, the external model is back to shadow calls.
        (await admin.DeleteAsync("api/tasks/ticket-triage/route?reason=done")).EnsureSuccessStatusCode();
        var after = await LoopServers.TriageAsync(router, KeywordCorpus.Generate(20, seed: 43).Select(c => c.Text));
        Assert.All(after, s => Assert.Equal(("large", "large"), (s.Route, s.Model)));
    }

    private static JsonElement Triage(JsonElement run) =>
        run.GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("task").GetString() == "ticket-triage");

    private static Task WaitForShadowsAsync(RouterServer router)
    {
        var shadows = router.Services.GetRequiredService<Router.Core.Evaluation.ShadowDispatcher>();
        return Eventually.UntilAsync(() => shadows.Pending == 0, "shadow calls finished", TimeSpan.FromSeconds(30));
    }
}
