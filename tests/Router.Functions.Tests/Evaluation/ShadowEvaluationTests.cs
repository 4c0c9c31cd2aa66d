using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Router.Core.Catalog;
using Router.Core.Evaluation;
using Router.Core.Ledger;
using Router.Core.Security;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Evaluation;

[Collection(SharedServersDefinition.Name)]
public sealed class ShadowEvaluationTests(SharedServers stack, ShadowServers shadow) : IClassFixture<ShadowServers>
{
    [Fact]
    public async Task Shadow_TenPercentDisagreement_IntervalContainsNinetyAndExcludesTheBar()
    {
        const int Calls = 400;
        var task = ShadowServers.NewTaskName();
        var settings = shadow.Settings(stack.Azurite.ConnectionString);
        ShadowServers.AddTask(settings, task, ShadowServers.TenPercent);
        await using var router = await RouterServer.StartAsync(settings);

        await ShadowServers.RouteAsync(router, task, Calls);
        await ShadowServers.SettleAsync(router);
        var evidence = Assert.Single(await ShadowServers.WaitForEvidenceAsync(router, task, Calls));

        var knob = await QualityAsync(ShadowServers.TenPercent);
        Assert.Equal(("cand", ShadowServers.TenPercent, (long)Calls, (long)Calls), (evidence.Candidate, evidence.Model, evidence.Calls, evidence.Samples));
        // The emulator says exactly how many answers it altered; every one of them is a disagreement, nothing else is.
        Assert.Equal(Calls - knob.Altered, evidence.Agreements);
        Assert.InRange(0.90, evidence.Agreement.Lower, evidence.Agreement.Upper);
        Assert.True(evidence.Agreement.Upper < 0.95, $"the interval [{evidence.Agreement.Lower:0.000}, {evidence.Agreement.Upper:0.000}] should exclude the 0.95 bar");
        Assert.Equal(0.0, evidence.InvalidRate);

        // The report shows the same interval, and does not take the candidate.
        var report = await ReportAsync(router, task);
        var candidate = report.GetProperty("candidates").EnumerateArray().Single();
        Assert.InRange(0.90, candidate.GetProperty("agreementLower").GetDouble(), candidate.GetProperty("agreementUpper").GetDouble());
        Assert.True(candidate.GetProperty("agreementUpper").GetDouble() < report.GetProperty("qualityBar").GetDouble());
        Assert.False(candidate.GetProperty("meetsBar").GetBoolean());
        Assert.NotEqual("switch-prompt", report.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Shadow_OnePercentDisagreement_ReportSaysSwitchPromptWithTheHandComputedSaving()
    {
        const int Calls = 400;
        var task = ShadowServers.NewTaskName();
        var settings = shadow.Settings(stack.Azurite.ConnectionString);
        ShadowServers.AddTask(settings, task, ShadowServers.OnePercent);
        await using var router = await RouterServer.StartAsync(settings);

        await ShadowServers.RouteAsync(router, task, Calls);
        await ShadowServers.SettleAsync(router);
        await ShadowServers.WaitForEvidenceAsync(router, task, Calls);
        await WaitForRollupCallsAsync(stack.Azurite.ConnectionString, task, Calls);
        var rows = (await new LedgerReader(stack.Azurite.ConnectionString).AllAsync()).Where(r => r.Task == task).ToList();
        var served = rows.Where(r => r.Status != CallStatus.Shadow).ToList();
        var shadows = rows.Where(r => r.Status == CallStatus.Shadow).ToList();
        Assert.Equal((Calls, Calls), (served.Count, shadows.Count));

        var report = await ReportAsync(router, task);

        Assert.Equal("switch-prompt", report.GetProperty("verdict").GetString());
        // V counts served calls only: the 400 shadow calls are not volume.
        Assert.Equal(Calls, report.GetProperty("basis").GetProperty("calls").GetInt64());
        var v = report.GetProperty("callsPerDay").GetDecimal();
        var cL = served.Sum(r => r.CostUsd) / served.Count;
        var cCandidate = shadows.Sum(r => r.CostUsd) / shadows.Count;
        Assert.Equal(cL, report.GetProperty("largeCostPerCall").GetDecimal(), 12);
        var candidate = report.GetProperty("candidates").EnumerateArray().Single();
        Assert.Equal(cCandidate, candidate.GetProperty("costPerCall").GetDecimal(), 12);
        Assert.Equal(v * (cL - cCandidate), candidate.GetProperty("projectedSavingPerDay").GetDecimal(), 9);
        Assert.True(candidate.GetProperty("meetsBar").GetBoolean());
        Assert.True(candidate.GetProperty("agreementLower").GetDouble() >= 0.95);
        // Evaluation cost is what the shadow rows cost, and only that.
        Assert.Equal(shadows.Sum(r => r.CostUsd), report.GetProperty("evaluationSpendUsd").GetDecimal());
        var step = report.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "cheaper-model");
        Assert.Equal("act", step.GetProperty("status").GetString());
        Assert.Equal(candidate.GetProperty("projectedSavingPerDay").GetDecimal(), step.GetProperty("savingPerDay").GetDecimal());

        using var admin = router.CreateClient(RouterServer.AdminKey);
        var markdown = await admin.GetStringAsync("api/distillation?format=md");
        Assert.Contains($"## {task}", markdown, StringComparison.Ordinal);
        Assert.Contains("| cand | cand-1 | large | 400 |", markdown, StringComparison.Ordinal);
        Assert.Contains("meets bar", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shadow_CandidateSlowOrFailing_CallerGetsTheSameAnswersAtTheSameSpeed()
    {
        const int Calls = 12;
        var task = ShadowServers.NewTaskName();
        var settings = shadow.Settings(stack.Azurite.ConnectionString);
        ShadowServers.AddTask(settings, task, ShadowServers.OnePercent);
        var without = new Dictionary<string, string?>(settings) { ["Router:Shadow:Enabled"] = "false" };
        await using var plain = await RouterServer.StartAsync(without);
        await using var shadowing = await RouterServer.StartAsync(settings);

        var baseline = await TimedCallsAsync(plain, task, Calls);
        try
        {
            await ArmAsync(ShadowServers.OnePercent, new { kind = "delay", delayMs = 5000 });
            var slow = await TimedCallsAsync(shadowing, task, Calls);
            await ArmAsync(ShadowServers.OnePercent, new { kind = "500" });
            var failing = await TimedCallsAsync(shadowing, task, Calls);

            foreach (var run in new[] { slow, failing })
            {
                Assert.Equal(baseline.Select(c => c.Body), run.Select(c => c.Body));
                // Were a shadow call on the request path, each call would wait 5 s for the slow candidate.
                Assert.All(run, c => Assert.True(c.Elapsed < TimeSpan.FromSeconds(4), $"a call took {c.Elapsed.TotalMilliseconds:0} ms"));
            }

            var dispatcher = shadowing.Services.GetRequiredService<ShadowDispatcher>();
            Assert.Equal(2 * Calls, dispatcher.Queued + dispatcher.SkippedQueueFull);
            await ShadowServers.SettleAsync(shadowing);
        }
        finally
        {
            await shadow.Emulator.Control.DeleteAsync($"emulator/faults/{ShadowServers.OnePercent}");
        }

        var rows = (await new LedgerReader(stack.Azurite.ConnectionString).AllAsync()).Where(r => r.Task == task && r.Status == CallStatus.Shadow).ToList();
        Assert.Equal(2 * Calls, rows.Count);
        Assert.All(rows.Where(r => r.Error is not null), r => Assert.Equal(0m, r.CostUsd));
        Assert.Contains(rows, r => r.Error is not null);
    }

    [Fact]
    public async Task Shadow_QueueFull_SkipsAndCountsWithoutSlowingCallers()
    {
        const int Calls = 10;
        var task = ShadowServers.NewTaskName();
        var settings = shadow.Settings(stack.Azurite.ConnectionString);
        settings["Router:Shadow:QueueCapacity"] = "1";
        settings["Router:Shadow:Concurrency"] = "1";
        ShadowServers.AddTask(settings, task, ShadowServers.TenPercent);
        await using var router = await RouterServer.StartAsync(settings);
        try
        {
            await ArmAsync(ShadowServers.TenPercent, new { kind = "delay", delayMs = 5000 });
            var calls = await TimedCallsAsync(router, task, Calls);

            var dispatcher = router.Services.GetRequiredService<ShadowDispatcher>();
            // One shadow call running, one waiting in the queue of one: the other eight were skipped and counted.
            Assert.InRange(dispatcher.Queued, 1, 2);
            Assert.Equal(Calls, dispatcher.Queued + dispatcher.SkippedQueueFull);
            Assert.All(calls, c => Assert.True(c.Elapsed < TimeSpan.FromSeconds(4), $"a call took {c.Elapsed.TotalMilliseconds:0} ms"));
        }
        finally
        {
            await shadow.Emulator.Control.DeleteAsync($"emulator/faults/{ShadowServers.TenPercent}");
        }
    }

    [Fact]
    public async Task Shadow_GenerationWithAJudge_JudgeDecidesAgreementAndItsCallsAreEvaluationCost()
    {
        const int Calls = 120;
        var task = ShadowServers.NewTaskName();
        var settings = shadow.Settings(stack.Azurite.ConnectionString);
        // So lenient that token F1 alone would accept every reworded answer: only the judge can refuse them.
        settings["Router:Shadow:GenerationAgreement"] = "0.2";
        ShadowServers.AddJudgedGenerationTask(settings, task, ShadowServers.TenPercent);
        await using var router = await RouterServer.StartAsync(settings);
        var before = await QualityAsync(ShadowServers.TenPercent);

        var served = await ShadowServers.RouteAsync(router, task, Calls);
        await ShadowServers.SettleAsync(router);
        var evidence = Assert.Single(await ShadowServers.WaitForEvidenceAsync(router, task, Calls));

        var after = await QualityAsync(ShadowServers.TenPercent);
        var altered = after.Altered - before.Altered;
        Assert.InRange(altered, 1, Calls / 3);
        // Every reworded answer is a disagreement (the judge refused it), every other answer an agreement.
        Assert.Equal((long)Calls, evidence.Samples);
        Assert.Equal(Calls - altered, evidence.Agreements);

        // One judge call per sample, each a shadow row of its own priced at the judge's (large) prices,
        // counted as evaluation cost and kept out of the candidate's cost per call.
        var rows = (await new LedgerReader(stack.Azurite.ConnectionString).AllAsync()).Where(r => r.Task == task && r.Status == CallStatus.Shadow).ToList();
        var judged = rows.Where(r => r.Shadow!.Judge).ToList();
        var candidate = rows.Where(r => !r.Shadow!.Judge).ToList();
        Assert.Equal((Calls, Calls), (judged.Count, candidate.Count));
        Assert.All(judged, r =>
        {
            Assert.Equal(("cand", "large"), (r.Shadow!.Candidate, r.Model));
            Assert.EndsWith("-shadow-cand-judge", r.CallId, StringComparison.Ordinal);
            Assert.Equal(((r.InputTokens * LargeInputPerMillion) + (r.OutputTokens * LargeOutputPerMillion)) / 1_000_000m, r.CostUsd);
        });
        Assert.Equal(served.Select(b => b.GetProperty("callId").GetString()).Order(), judged.Select(r => r.RequestId).Order());
        Assert.Equal(Calls, evidence.JudgeCalls);
        Assert.Equal(judged.Sum(r => r.CostUsd), evidence.JudgeCostUsd);
        Assert.Equal(candidate.Sum(r => r.CostUsd) / Calls, evidence.CostPerCall);

        var report = await ReportAsync(router, task);
        var reported = report.GetProperty("candidates").EnumerateArray().Single();
        Assert.Equal(rows.Sum(r => r.CostUsd), reported.GetProperty("evaluationSpendUsd").GetDecimal());
        Assert.Equal(Calls, reported.GetProperty("judgeCalls").GetInt64());
        var spend = router.Services.GetRequiredService<ClientSpendTracker>().SpentToday("caller-a");
        Assert.Equal(served.Sum(b => b.GetProperty("costUsd").GetDecimal()), spend);
    }

    /// <summary>The sample catalog's large model prices (USD per 1M tokens), the judge's here.</summary>
    private const decimal LargeInputPerMillion = 2.50m;
    private const decimal LargeOutputPerMillion = 10.00m;

    [Fact]
    public async Task Shadow_Ledger_OneExactRowPerShadowCallOutsideCallerSpendAndUsage()
    {
        const int Calls = 20;
        var task = ShadowServers.NewTaskName();
        var settings = shadow.Settings(stack.Azurite.ConnectionString);
        ShadowServers.AddTask(settings, task, ShadowServers.OnePercent);
        await using var router = await RouterServer.StartAsync(settings);
        var statsBefore = await StatsAsync(ShadowServers.OnePercent);

        var served = await ShadowServers.RouteAsync(router, task, Calls);
        await ShadowServers.SettleAsync(router);

        var rows = (await new LedgerReader(stack.Azurite.ConnectionString).AllAsync()).Where(r => r.Task == task).ToList();
        var shadows = rows.Where(r => r.Status == CallStatus.Shadow).ToList();
        var servedIds = served.Select(b => b.GetProperty("callId").GetString()!).ToList();
        Assert.Equal(servedIds.Order(), shadows.Select(r => r.RequestId).Order());
        Assert.Equal(Calls, shadows.Select(r => r.CallId).Distinct().Count());
        var statsAfter = await StatsAsync(ShadowServers.OnePercent);
        Assert.Equal(statsAfter.Prompt - statsBefore.Prompt, shadows.Sum(r => r.InputTokens));
        Assert.Equal(statsAfter.Completion - statsBefore.Completion, shadows.Sum(r => r.OutputTokens));
        Assert.All(shadows, r =>
        {
            Assert.Equal(((r.InputTokens * ShadowServers.CandidateInput) + (r.OutputTokens * ShadowServers.CandidateOutput)) / 1_000_000m, r.CostUsd);
            Assert.Equal(("cand", ShadowServers.OnePercent, "large"), (r.Shadow!.Candidate, r.Model, r.Route));
            Assert.True(r.Shadow.Scored);
        });

        // The caller's spend is what it was served, to the nano-dollar; shadow calls are not in it.
        var spend = router.Services.GetRequiredService<ClientSpendTracker>().SpentToday("caller-a");
        var servedCost = served.Sum(b => b.GetProperty("costUsd").GetDecimal());
        Assert.Equal(servedCost, rows.Where(r => r.Status != CallStatus.Shadow).Sum(r => r.CostUsd));
        Assert.Equal(servedCost, spend);

        // /api/usage counts served calls only; the evidence's evaluation cost is the shadow rows' sum.
        using var admin = router.CreateClient(RouterServer.AdminKey);
        var from = TimeProvider.System.GetUtcNow().AddHours(-1).ToString("yyyy-MM-ddTHH:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var usage = await WaitForUsageAsync(admin, task, from, Calls);
        Assert.Equal(Calls, usage.GetProperty("total").GetProperty("calls").GetInt64());
        Assert.Equal(servedCost, usage.GetProperty("total").GetProperty("costUsd").GetDecimal());
        var evidence = Assert.Single(await ShadowServers.WaitForEvidenceAsync(router, task, Calls));
        Assert.Equal(shadows.Sum(r => r.CostUsd), evidence.CostUsd);
    }

    [Fact]
    public async Task Shadow_DailyBudget_StopsWithinOneCallOfTheCapAndResumesTheNextUtcDay()
    {
        var task = ShadowServers.NewTaskName();
        var settings = shadow.Settings(stack.Azurite.ConnectionString);
        // Every call has the same input, so every shadow call costs the same c; the cap sits at 3.5 c.
        var one = await OneShadowCostAsync(settings);
        var budget = one * 3.5m;
        ShadowServers.AddTask(settings, task, ShadowServers.OnePercent, budget: budget);
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var router = await RouterServer.StartAsync(settings, s => s.AddSingleton(new ShadowBudget(clock)));
        var dispatcher = router.Services.GetRequiredService<ShadowDispatcher>();
        var budgetState = router.Services.GetRequiredService<ShadowBudget>();

        for (var i = 0; i < 8; i++)
        {
            await RouteSameAsync(router, task);
            await ShadowServers.SettleAsync(router);
        }

        var spent = budgetState.SpentToday(task, "cand");
        Assert.Equal(4, dispatcher.Queued); // 0, c, 2c, 3c are under 3.5c; at 4c shadowing stops
        Assert.Equal(4, dispatcher.SkippedBudget);
        Assert.True(spent >= budget && spent - budget < one, $"spent {spent} against a cap of {budget} (one call {one})");

        clock.Advance(TimeSpan.FromDays(1));
        await RouteSameAsync(router, task);
        await ShadowServers.SettleAsync(router);
        Assert.Equal(5, dispatcher.Queued);
        Assert.Equal(one, budgetState.SpentToday(task, "cand"));
    }

    [Fact]
    public async Task Shadow_ThreeInstancesOneAzurite_ShadowRollupsSumToTheShadowCallsMade()
    {
        const int PerInstance = 25;
        await using var azurite = await AzuriteServer.StartAsync();
        var task = ShadowServers.NewTaskName();
        var routers = new List<RouterServer>();
        try
        {
            foreach (var instance in new[] { "i1", "i2", "i3" })
            {
                var settings = shadow.Settings(azurite.ConnectionString);
                settings["Router:Ledger:InstanceId"] = instance;
                ShadowServers.AddTask(settings, task, ShadowServers.TenPercent, rate: 0.6);
                routers.Add(await RouterServer.StartAsync(settings));
            }

            await Task.WhenAll(routers.Select((r, i) => ShadowServers.RouteAsync(r, task, PerInstance, offset: i * PerInstance)));
            foreach (var router in routers)
            {
                await ShadowServers.SettleAsync(router);
            }

            var made = routers.Sum(r => r.Services.GetRequiredService<ShadowDispatcher>().Completed);
            var rows = (await new LedgerReader(azurite.ConnectionString).AllAsync()).Where(r => r.Status == CallStatus.Shadow).ToList();
            var evidence = Assert.Single(await ShadowServers.WaitForEvidenceAsync(routers[0], task, made));
            Assert.InRange(made, 1, (3 * PerInstance) - 1); // sampled at 0.6: some calls shadowed, not all
            Assert.Equal(made, rows.Count);
            Assert.Equal(made, evidence.Calls);
            Assert.Equal(rows.Count(r => r.Shadow!.Agreed), evidence.Agreements);
            Assert.Equal(rows.Sum(r => r.CostUsd), evidence.CostUsd);
            var rollups = await ShadowRollupsAsync(azurite.ConnectionString);
            Assert.Equal(["i1", "i2", "i3"], rollups.Select(r => r.Instance).Distinct().Order());
        }
        finally
        {
            foreach (var router in routers)
            {
                await router.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A restarted instance with a configured name continues its stored shadow rows: the evidence a promotion
    /// or a rollback reads keeps the first process's shadow calls instead of restarting the hour from zero.
    /// </summary>
    [Fact]
    public async Task Shadow_ConfiguredInstanceRestartsWithinTheHour_EvidenceKeepsBothProcessesShadowCalls()
    {
        const int PerProcess = 20;
        await using var azurite = await AzuriteServer.StartAsync();
        var task = ShadowServers.NewTaskName();
        var settings = shadow.Settings(azurite.ConnectionString);
        settings["Router:Ledger:InstanceId"] = "restarted1";
        ShadowServers.AddTask(settings, task, ShadowServers.TenPercent, rate: 1);

        long made = 0;
        for (var process = 0; process < 2; process++)
        {
            await using var router = await RouterServer.StartAsync(settings);
            await ShadowServers.RouteAsync(router, task, PerProcess, offset: process * PerProcess);
            await ShadowServers.SettleAsync(router);
            made += router.Services.GetRequiredService<ShadowDispatcher>().Completed;
            await ShadowServers.WaitForEvidenceAsync(router, task, made);
        }

        var rows = (await new LedgerReader(azurite.ConnectionString).AllAsync()).Where(r => r.Status == CallStatus.Shadow).ToList();
        var rollups = (await ShadowRollupsAsync(azurite.ConnectionString)).Where(r => r.Task == task).ToList();
        Assert.True(made > PerProcess, $"{made} shadow calls: both processes shadowed"); // rate 1, within the candidate's daily budget
        Assert.Equal(made, rows.Count);
        Assert.Equal(made, rollups.Sum(r => r.Calls));
        Assert.Equal(rows.Count(r => r.Shadow!.Agreed), rollups.Sum(r => r.Agreements));
    }

    [Fact]
    public async Task Shadow_TaskRoutedToSmall_SendsASliceToLargeAndScoresTheServedAnswer()
    {
        const int Calls = 20;
        var task = ShadowServers.NewTaskName();
        var settings = shadow.Settings(stack.Azurite.ConnectionString);
        ShadowServers.AddTask(settings, task, ShadowServers.TenPercent, route: "small", largeShadowRate: 1);
        await using var router = await RouterServer.StartAsync(settings);

        await ShadowServers.RouteAsync(router, task, Calls);
        await ShadowServers.SettleAsync(router);

        var evidence = Assert.Single(await ShadowServers.WaitForEvidenceAsync(router, task, Calls));
        Assert.Equal((CatalogCandidate.LiveName("small"), "large", (long)Calls), (evidence.Candidate, evidence.Model, evidence.Samples));
        // The emulator's small deployment has no knob: the tuned model agrees with the large one on every call.
        Assert.Equal(Calls, evidence.Agreements);
        var rows = (await new LedgerReader(stack.Azurite.ConnectionString).AllAsync()).Where(r => r.Task == task && r.Status == CallStatus.Shadow).ToList();
        Assert.All(rows, r => Assert.Equal("large", r.Model));
    }

    [Fact]
    public async Task Shadow_StreamedAnswer_IsShadowedAndScoredOnceTheStreamEnds()
    {
        var task = ShadowServers.NewTaskName();
        var settings = shadow.Settings(stack.Azurite.ConnectionString);
        ShadowServers.AddTask(settings, task, ShadowServers.OnePercent);
        await using var router = await RouterServer.StartAsync(settings);
        using var http = router.CreateClient(RouterServer.CallerKey);

        using var response = await http.PostAsJsonAsync("api/v1/chat/completions", new { model = task, stream = true, messages = new[] { new { role = "user", content = ShadowServers.Ticket(3) } } });
        response.EnsureSuccessStatusCode();
        var sse = await response.Content.ReadAsStringAsync();
        await ShadowServers.SettleAsync(router);

        Assert.Contains("[DONE]", sse, StringComparison.Ordinal);
        var rows = (await new LedgerReader(stack.Azurite.ConnectionString).AllAsync()).Where(r => r.Task == task).ToList();
        var servedRow = Assert.Single(rows, r => r.Status == CallStatus.Ok);
        var shadowRow = Assert.Single(rows, r => r.Status == CallStatus.Shadow);
        Assert.True(servedRow.Streamed);
        Assert.Equal(servedRow.CallId, shadowRow.RequestId);
        Assert.True(shadowRow.Shadow!.Scored);
    }

    private static async Task<JsonElement> ReportAsync(RouterServer router, string task)
    {
        using var admin = router.CreateClient(RouterServer.AdminKey);
        using var response = await admin.PostAsync("api/distillation/run", content: null);
        response.EnsureSuccessStatusCode();
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        return run.GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("task").GetString() == task);
    }

    private async Task<decimal> OneShadowCostAsync(Dictionary<string, string?> baseSettings)
    {
        var task = ShadowServers.NewTaskName();
        var settings = new Dictionary<string, string?>(baseSettings);
        ShadowServers.AddTask(settings, task, ShadowServers.OnePercent);
        await using var router = await RouterServer.StartAsync(settings);
        var served = await RouteSameAsync(router, task);
        await ShadowServers.SettleAsync(router);
        var rows = await new LedgerReader(stack.Azurite.ConnectionString).WaitForRequestAsync(served, expected: 2);
        var cost = rows.Single(r => r.Status == CallStatus.Shadow).CostUsd;
        Assert.True(cost > 0);
        return cost;
    }

    private static async Task<string> RouteSameAsync(RouterServer router, string task)
    {
        using var http = router.CreateClient(RouterServer.CallerKey);
        using var response = await http.PostAsJsonAsync("api/route", new { task, input = ShadowServers.Ticket(1) });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callId").GetString()!;
    }

    private static async Task<List<(string Body, TimeSpan Elapsed)>> TimedCallsAsync(RouterServer router, string task, int count)
    {
        using var http = router.CreateClient(RouterServer.CallerKey);
        var calls = new List<(string, TimeSpan)>();
        for (var i = 0; i < count; i++)
        {
            var start = TimeProvider.System.GetTimestamp();
            using var response = await http.PostAsJsonAsync("api/route", new { task, input = ShadowServers.Ticket(i) });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var elapsed = TimeProvider.System.GetElapsedTime(start);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            // What the caller sees, less what differs on every call by design (its id and timings).
            calls.Add((string.Join("|", body.GetProperty("output").GetString(), body.GetProperty("model").GetString(), body.GetProperty("usage").GetRawText(), body.GetProperty("costUsd").GetDecimal(), body.GetProperty("route").GetString(), body.GetProperty("fallback").GetBoolean()), elapsed));
        }

        return calls;
    }

    private async Task ArmAsync(string deployment, object fault)
    {
        using var response = await shadow.Emulator.Control.PutAsJsonAsync($"emulator/faults/{deployment}", fault);
        response.EnsureSuccessStatusCode();
    }

    private async Task<(long Answers, long Altered)> QualityAsync(string deployment)
    {
        var all = await shadow.Emulator.Control.GetFromJsonAsync<Dictionary<string, JsonElement>>("emulator/quality");
        var mine = all![deployment];
        return (mine.GetProperty("answers").GetInt64(), mine.GetProperty("altered").GetInt64());
    }

    private async Task<(long Prompt, long Completion)> StatsAsync(string deployment)
    {
        var all = await shadow.Emulator.Control.GetFromJsonAsync<Dictionary<string, JsonElement>>("emulator/stats");
        return all!.TryGetValue(deployment, out var mine) ? (mine.GetProperty("promptTokens").GetInt64(), mine.GetProperty("completionTokens").GetInt64()) : (0, 0);
    }

    private static async Task<JsonElement> WaitForUsageAsync(HttpClient admin, string task, string from, long calls)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (true)
        {
            var usage = await admin.GetFromJsonAsync<JsonElement>($"api/usage?task={task}&from={from}");
            if (usage.GetProperty("total").GetProperty("calls").GetInt64() >= calls || TimeProvider.System.GetUtcNow() > deadline)
            {
                return usage;
            }

            await Task.Delay(50);
        }
    }

    private static async Task WaitForRollupCallsAsync(string connection, string task, long calls)
    {
        var table = new Azure.Data.Tables.TableServiceClient(connection).GetTableClient("RouterRollups");
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            long sum = 0;
            await foreach (var entity in table.QueryAsync<Azure.Data.Tables.TableEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {task}")))
            {
                sum += entity.GetInt64("Calls") ?? 0;
            }

            if (sum >= calls)
            {
                return;
            }

            await Task.Delay(50);
        }
    }

    private static async Task<List<ShadowRollupRecord>> ShadowRollupsAsync(string connection)
    {
        var table = new Azure.Data.Tables.TableServiceClient(connection).GetTableClient("RouterShadowRollups");
        var rows = new List<ShadowRollupRecord>();
        await foreach (var entity in table.QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            rows.Add(ShadowRollupEntity.FromEntity(entity));
        }

        return rows;
    }
}
