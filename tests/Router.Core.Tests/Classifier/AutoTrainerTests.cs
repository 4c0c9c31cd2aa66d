using Router.Core.Catalog;
using Router.Core.Classifier;
using Router.Core.Distillation;
using Router.Core.Distillation.Reporting;
using Router.Core.Tests.Catalog;
using static Router.Core.Tests.Distillation.DistillationScenario;

namespace Router.Core.Tests.Classifier;

public sealed class AutoTrainerTests
{
    private static TaskCatalog Catalog()
    {
        var options = CatalogFixtures.Options();
        options.Models["clf"] = new ModelOptions { Kind = "local-classifier", Prices = new PriceOptions { PerCall = 0, EffectiveDate = new DateOnly(2026, 12, 1) } };
        options.Tasks["triage"].Route = "large";
        options.Tasks["triage"].Candidates["classifier"] = new CandidateOptions { Model = "clf", Prompt = "small", ShadowRate = 1, DailyBudgetUsd = 1 };
        // Another classification task, without a local classifier: nothing to train.
        var plain = CatalogFixtures.Options().Tasks["triage"];
        plain.Route = "large";
        options.Tasks["labels"] = plain;
        return CatalogFixtures.Catalog(options);
    }

    private static DistillationRun Run(params (string Task, DistillationVerdict Verdict)[] reports)
    {
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 28_000));
        return new DistillationRun
        {
            GeneratedAt = Now,
            WindowStart = Today.AddDays(-14),
            WindowEnd = Today,
            WindowDays = 14,
            Reports = reports.Select(r => report with { Task = r.Task, Verdict = r.Verdict }).ToArray(),
        };
    }

    [Fact]
    public void TasksToTrain_OnlyDistillNowClassificationTasksWithALocalClassifier()
    {
        var catalog = Catalog();

        Assert.Equal(["triage"], AutoTrainer.TasksToTrain(Run(("triage", DistillationVerdict.DistillNow), ("labels", DistillationVerdict.DistillNow)), catalog));
        Assert.Empty(AutoTrainer.TasksToTrain(Run(("triage", DistillationVerdict.NotYet), ("triage", DistillationVerdict.Promote)), catalog));
        Assert.Empty(AutoTrainer.TasksToTrain(Run(("gone-from-the-catalog", DistillationVerdict.DistillNow)), catalog));
    }
}
