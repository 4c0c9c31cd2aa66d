using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Classifier;
using Router.Core.Tests.Classifier;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Promotion;

/// <summary>
/// Router:Distillation:AutoTrain end to end: the distillation timer (scheduled every second here) reports
/// ticket-triage as distill-now once traffic has captured enough samples, and, with the setting on, trains
/// the local classifier right after; the version is then shadowed as a candidate. Off (the default), the
/// same verdict trains nothing.
/// </summary>
public sealed class AutoTrainLoopTests(LoopServers servers) : IClassFixture<LoopServers>
{
    private const string Model = "triage-classifier";

    [Fact]
    public async Task DistillationTimer_AutoTrainOnAndDistillNow_TrainsAndTheVersionBecomesACandidate()
    {
        await using var router = await RouterServer.StartAsync(Settings(autoTrain: true));
        var classifiers = router.Services.GetRequiredService<LocalClassifiers>();

        await LoopServers.TriageAsync(router, KeywordCorpus.Generate(400, seed: 31).Select(c => c.Text));
        await UntilVerdictAsync(router, "distill-now");
        await Eventually.UntilAsync(() => classifiers.Current(Model) is not null, "the timer trains the classifier after the distill-now report", TimeSpan.FromSeconds(60));
        var version = classifiers.Current(Model)!.Version;
        var info = classifiers.State(Model).Info!;
        Assert.True(info.Samples >= 300, $"trained on {info.Samples} samples");
        Assert.Equal(version, await router.Services.GetRequiredService<ClassifierArtefactStore>().GetCurrentAsync(Model, CancellationToken.None));

        // The version is a candidate: the next calls (served by large) are shadowed to it under its version.
        await LoopServers.TriageAsync(router, KeywordCorpus.Generate(60, seed: 32).Select(c => c.Text));
        await Eventually.UntilAsync(() => router.Services.GetRequiredService<Router.Core.Evaluation.ShadowDispatcher>().Pending == 0, "shadow calls finished", TimeSpan.FromSeconds(30));
        await router.DrainAsync();
        using var admin = router.CreateClient(RouterServer.AdminKey);
        using var run = await admin.PostAsync("api/distillation/run", null);
        var report = Triage(await run.Content.ReadFromJsonAsync<JsonElement>());
        var candidate = report.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("candidate").GetString() == "classifier@" + version);
        Assert.True(candidate.GetProperty("samples").GetInt64() >= 50, candidate.ToString());
    }

    [Fact]
    public async Task DistillationTimer_AutoTrainOffByDefaultAndDistillNow_TrainsNothing()
    {
        await using var router = await RouterServer.StartAsync(Settings(autoTrain: null));

        await LoopServers.TriageAsync(router, KeywordCorpus.Generate(400, seed: 33).Select(c => c.Text));
        var distillNowAt = await UntilVerdictAsync(router, "distill-now");
        // Two more scheduled runs after it: any training of that run's AutoTrain step would have finished.
        await UntilReportAfterAsync(router, distillNowAt.AddSeconds(1.5));

        Assert.Null(router.Services.GetRequiredService<LocalClassifiers>().Current(Model));
        Assert.Null(await router.Services.GetRequiredService<ClassifierArtefactStore>().GetCurrentAsync(Model, CancellationToken.None));
    }

    private Dictionary<string, string?> Settings(bool? autoTrain)
    {
        var settings = servers.Settings();
        settings["Router:Storage:ModelsContainer"] = "models-" + Guid.NewGuid().ToString("N")[..12]; // the other test's version is not this one's
        settings["Router:Distillation:Schedule"] = "* * * * * *";
        settings["Router:Distillation:MinimumExamples"] = "300";
        settings["Router:Distillation:MinimumPromptStableDays"] = "0";
        if (autoTrain is { } on)
        {
            settings["Router:Distillation:AutoTrain"] = on ? "true" : "false";
        }

        return settings;
    }

    private static JsonElement Triage(JsonElement run) =>
        run.GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("task").GetString() == "ticket-triage");

    /// <summary>Polls the stored report (the timer's) until ticket-triage has <paramref name="verdict"/>; returns when it was generated.</summary>
    private static async Task<DateTimeOffset> UntilVerdictAsync(RouterServer router, string verdict)
    {
        using var admin = router.CreateClient(RouterServer.AdminKey);
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        var seen = "none";
        while (true)
        {
            using var response = await admin.GetAsync("api/distillation");
            if (response.IsSuccessStatusCode)
            {
                var run = await response.Content.ReadFromJsonAsync<JsonElement>();
                seen = Triage(run).GetProperty("verdict").GetString()!;
                if (seen == verdict)
                {
                    return run.GetProperty("generatedAt").GetDateTimeOffset();
                }
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"the timer's report never said {verdict} (last: {seen})");
            await Task.Delay(200);
        }
    }

    private static async Task UntilReportAfterAsync(RouterServer router, DateTimeOffset after)
    {
        using var admin = router.CreateClient(RouterServer.AdminKey);
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while ((await admin.GetFromJsonAsync<JsonElement>("api/distillation")).GetProperty("generatedAt").GetDateTimeOffset() <= after)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"no scheduled report after {after:O}");
            await Task.Delay(200);
        }
    }
}
