using Router.Core.Catalog;
using Router.Core.Distillation;
using Router.Core.Evaluation;
using Router.Core.Routing;
using Router.Core.Tests.Catalog;
using static Router.Core.Tests.Distillation.DistillationScenario;

namespace Router.Core.Tests.Evaluation;

public sealed class ShadowVerdictsTests
{
    private const double HalfWidth = 0.03;

    private static readonly CatalogTask Task = BuildTask();

    private static CatalogTask BuildTask()
    {
        var options = CatalogFixtures.Options();
        options.Models["mini"] = CatalogFixtures.Model("gpt-4o-mini", 0.15m, 0.075m, 0.60m);
        var small = options.Models["small"];
        small.Prices.HostingPerHour = 1.70m;
        options.Tasks["triage"].Candidates["mini"] = new CandidateOptions { Model = "mini", Prompt = "large", ShadowRate = 0.1, DailyBudgetUsd = 1 };
        options.Tasks["triage"].Candidates["tuned"] = new CandidateOptions { Model = "small", Prompt = "small", ShadowRate = 0.1, DailyBudgetUsd = 1 };
        return CatalogFixtures.Catalog(options).Tasks.Single();
    }

    private static CandidateEvidence Evidence(string candidate, string model, long samples, long agreements, decimal costPerCall) => new()
    {
        Task = Task.Name,
        Candidate = candidate,
        Model = model,
        Calls = samples,
        Failures = 0,
        Samples = samples,
        Valid = samples,
        Agreements = agreements,
        Agreement = AgreementInterval.Wilson(agreements, samples),
        InvalidRate = 0,
        MeanScore = samples == 0 ? null : (double)agreements / samples,
        CostUsd = costPerCall * samples,
        CostPerCall = costPerCall,
        LatencyP50Ms = 40,
        LatencyP95Ms = 90,
    };

    [Fact]
    public void Apply_PromptedCandidateAboveTheBar_SwitchPromptWithTheHandComputedSaving()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 28_000)); // V = 2,000 calls/day, c_L = 0.00595
        var evidence = new[] { Evidence("mini", "gpt-4o-mini", 1_000, 990, 0.0004m) };

        var result = ShadowVerdicts.Apply(report, Task, evidence, HalfWidth);

        Assert.Equal(DistillationVerdict.SwitchPrompt, result.Verdict);
        var mini = Assert.Single(result.Candidates);
        // 2,000 x (0.00595 - 0.0004) = 11.10 USD/day; the mini model has no hosting fee.
        Assert.Equal(11.10m, mini.ProjectedSavingPerDay);
        Assert.True(mini.MeetsBar);
        Assert.Equal(0.40m, result.EvaluationSpendUsd);
        var step = result.Steps.Single(s => s.Step == StepName.CheaperModel);
        Assert.Equal((StepStatus.Act, 11.10m), (step.Status, step.SavingPerDay));
        Assert.StartsWith("switch to mini (gpt-4o-mini): 99.0% [98.2%, 99.5%] over 1,000 samples agreement, at or above the 95% bar", step.Finding, StringComparison.Ordinal);
        Assert.Equal(step.Finding, Assert.Single(result.Reasons));
    }

    [Fact]
    public void Apply_TenPercentDisagreement_IntervalExcludesTheBarAndTheStepSaysSo()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 28_000));
        var evidence = new[] { Evidence("mini", "gpt-4o-mini", 400, 360, 0.0004m) };

        var result = ShadowVerdicts.Apply(report, Task, evidence, HalfWidth);

        Assert.Equal(report.Verdict, result.Verdict);
        var mini = Assert.Single(result.Candidates);
        Assert.InRange(0.90, mini.AgreementLower, mini.AgreementUpper);
        Assert.True(mini.AgreementUpper < 0.95);
        Assert.False(mini.MeetsBar);
        var step = result.Steps.Single(s => s.Step == StepName.CheaperModel);
        Assert.Equal(StepStatus.Skip, step.Status);
        Assert.Equal("mini (gpt-4o-mini) agrees 90.0% [86.7%, 92.6%] over 400 samples, under the 95% bar", step.Finding);
    }

    [Fact]
    public void Apply_FewSamplesThatCouldStillMeetTheBar_NotYetNamesTheMissingSamples()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 28_000));
        Assert.Equal(DistillationVerdict.NotYet, report.Verdict);
        var evidence = new[] { Evidence("mini", "gpt-4o-mini", 60, 59, 0.0004m) };

        var result = ShadowVerdicts.Apply(report, Task, evidence, HalfWidth);

        Assert.Equal(DistillationVerdict.NotYet, result.Verdict);
        var mini = Assert.Single(result.Candidates);
        var needed = AgreementInterval.Wilson(59, 60).MoreSamplesFor(HalfWidth);
        Assert.Equal(needed, mini.MoreSamplesNeeded);
        Assert.True(needed > 0);
        Assert.Contains($"mini (gpt-4o-mini) needs {needed:#,0} more shadow samples for a ±3% interval (agrees 98.3% [91.1%, 99.7%] over 60 samples so far)", result.Reasons);
        Assert.Equal(StepStatus.Wait, result.Steps.Single(s => s.Step == StepName.CheaperModel).Status);
    }

    [Fact]
    public void Apply_KnowledgeTaskWithAMatchingCandidate_SwitchPromptToo()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 28_000) with { Kind = TaskKind.Knowledge });
        Assert.Equal(DistillationVerdict.NotEligible, report.Verdict);

        var result = ShadowVerdicts.Apply(report, Task, [Evidence("mini", "gpt-4o-mini", 1_000, 995, 0.0004m)], HalfWidth);

        Assert.Equal(DistillationVerdict.SwitchPrompt, result.Verdict);
    }

    [Fact]
    public void Apply_DistillNowWithAnUntrainedCandidateShort_ShowsTheGapTrainingMustClose()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 280_000));
        Assert.Equal(DistillationVerdict.DistillNow, report.Verdict);

        var result = ShadowVerdicts.Apply(report, Task, [Evidence("mini", "gpt-4o-mini", 100, 81, 0.0004m)], HalfWidth);

        Assert.Equal(DistillationVerdict.DistillNow, result.Verdict);
        Assert.Contains("untrained mini (gpt-4o-mini) agrees 81.0% [72.2%, 87.5%] over 100 samples: training must close the gap to the 95% bar", result.Reasons);
        Assert.Contains("training must close the gap", result.Steps.Single(s => s.Step == StepName.FineTune).Finding, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_TunedCandidateAboveTheBar_PromoteWithItsNumbers()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 280_000)); // V = 20,000 calls/day
        var evidence = new[] { Evidence("mini", "gpt-4o-mini", 400, 300, 0.0004m), Evidence("tuned", "small", 2_000, 1_990, 0.0002m) };

        var result = ShadowVerdicts.Apply(report, Task, evidence, HalfWidth);

        Assert.Equal(DistillationVerdict.Promote, result.Verdict);
        var tuned = result.Candidates.Single(c => c.Candidate == "tuned");
        // 20,000 x (0.00595 - 0.0002) - 1.70 x 24 = 115.00 - 40.80
        Assert.Equal(74.20m, tuned.ProjectedSavingPerDay);
        var step = result.Steps.Single(s => s.Step == StepName.FineTune);
        Assert.Equal((StepStatus.Act, 74.20m), (step.Status, step.SavingPerDay));
        Assert.StartsWith("promote tuned (small): the tuned model agrees 99.5%", step.Finding, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RolledBackVersionAboveTheBar_NotAdvisedAgainButANewVersionIs()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 280_000));
        var evidence = new[] { Evidence("tuned@v1", "small", 2_000, 1_990, 0.0002m) };

        var rolledBack = ShadowVerdicts.Apply(report, Task, evidence, HalfWidth, new HashSet<string> { "tuned@v1" });
        var newVersion = ShadowVerdicts.Apply(report, Task, [.. evidence, Evidence("tuned@v2", "small", 2_000, 1_990, 0.0002m)], HalfWidth, new HashSet<string> { "tuned@v1" });

        Assert.NotEqual(DistillationVerdict.Promote, rolledBack.Verdict);
        Assert.True(Assert.Single(rolledBack.Candidates).RolledBack);
        Assert.Equal(DistillationVerdict.Promote, newVersion.Verdict);
        Assert.StartsWith("promote tuned@v2 (small)", newVersion.Steps.Single(s => s.Step == StepName.FineTune).Finding, StringComparison.Ordinal);
        Assert.False(newVersion.Candidates.Single(c => c.Candidate == "tuned@v2").RolledBack);
    }

    [Fact]
    public void Apply_DistilledRouteDrifting_WarnsWithTheLiveInterval()
    {
        var input = Input(largeCallsInWindow: 0) with
        {
            Route = RouteTarget.Small,
            Usage = new TaskUsageWindow { Days = WindowDays, Small = SmallCalls(280_000, 42.00m, escalations: 5_600) },
        };
        var report = Analyzer().Analyze(input);
        var live = Evidence(CatalogCandidate.LiveName("small"), "large", 500, 460, 0.006m);

        var result = ShadowVerdicts.Apply(report, Task, [live], HalfWidth);

        Assert.Equal(DistillationVerdict.Distilled, result.Verdict);
        var line = Assert.Single(result.Reasons, r => r.StartsWith("the small route agrees", StringComparison.Ordinal));
        Assert.Equal("the small route agrees 92.0% [89.3%, 94.1%] over 500 samples with the large shadow slice; warning: the lower bound is under the 95% bar, the small route may have drifted (route back to large or retrain)", line);
        Assert.Equal("live", result.Candidates.Single().Prompt);
        Assert.Null(result.Candidates.Single().ProjectedSavingPerDay);
    }

    [Fact]
    public void Apply_DistilledRouteWithFewPerfectSamples_AsksForSamplesInsteadOfWarning()
    {
        var input = Input(largeCallsInWindow: 0) with
        {
            Route = RouteTarget.Small,
            Usage = new TaskUsageWindow { Days = WindowDays, Small = SmallCalls(280_000, 42.00m, escalations: 5_600) },
        };
        var report = Analyzer().Analyze(input);
        var live = Evidence(CatalogCandidate.LiveName("small"), "large", 8, 8, 0.006m);

        var result = ShadowVerdicts.Apply(report, Task, [live], HalfWidth);

        var line = Assert.Single(result.Reasons, r => r.StartsWith("the small route agrees", StringComparison.Ordinal));
        Assert.DoesNotContain("warning", line, StringComparison.Ordinal);
        Assert.Equal($"the small route agrees 100.0% [67.6%, 100.0%] over 8 samples with the large shadow slice; {result.Candidates.Single().MoreSamplesNeeded:#,0} more shadow samples tell whether it holds the 95% bar", line);
        Assert.True(result.Candidates.Single().MoreSamplesNeeded > 0);
    }

    [Fact]
    public void Apply_NoEvidence_LeavesTheReportAsItWasButForTheBar()
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 28_000));

        var result = ShadowVerdicts.Apply(report, Task, [], HalfWidth);

        Assert.Equal(report with { QualityBar = 0.95 }, result);
    }
}
