using Router.Core.Catalog;
using Router.Core.Routing;

namespace Router.Core.Tests.Catalog;

public sealed class LocalClassifierValidationTests
{
    private readonly RouterOptionsValidator _validator = new();

    private static ModelOptions Classifier(Action<ClassifierOptions>? configure = null)
    {
        var model = new ModelOptions { Kind = "local-classifier", Prices = new PriceOptions { PerCall = 0.00001m, EffectiveDate = new DateOnly(2026, 12, 1) } };
        configure?.Invoke(model.Classifier);
        return model;
    }

    private static RouterOptions WithClassifier(ModelOptions model)
    {
        var options = CatalogFixtures.Options();
        options.Models["clf"] = model;
        options.Tasks["triage"].Candidates["clf"] = new CandidateOptions { Model = "clf", Prompt = "small", ShadowRate = 0.2, DailyBudgetUsd = 1 };
        return options;
    }

    [Fact]
    public void Validate_LocalClassifierCandidate_NeedsNoEndpointKeyOrDeploymentAndCompiles()
    {
        var options = WithClassifier(Classifier(c => c.Trainer = "lbfgs"));

        var result = _validator.Validate(null, options);
        var model = CatalogFixtures.Catalog(options).Models.Single(m => m.Name == "clf");

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.True(model.IsLocalClassifier);
        Assert.Equal(ClassifierAlgorithm.LbfgsMaximumEntropy, model.Classifier!.Trainer);
        Assert.Equal(0.00001m, CostCalculator.Cost(default, model.Prices));
        Assert.Equal("local-classifier", model.Kind.ToWire());
    }

    [Theory]
    [InlineData("Trainer", "Router:Models:clf:Classifier:Trainer: 'forest' is not one of sdca, lbfgs.")]
    [InlineData("MinSamples", "Router:Models:clf:Classifier:MinSamples: 1 is outside 10..10000000.")]
    [InlineData("HoldOutFraction", "Router:Models:clf:Classifier:HoldOutFraction: 0.9 is outside 0.05..0.5.")]
    public void Validate_BadClassifierSetting_FailsNamingIt(string setting, string expected)
    {
        var options = WithClassifier(Classifier(c =>
        {
            switch (setting)
            {
                case "Trainer": c.Trainer = "forest"; break;
                case "MinSamples": c.MinSamples = 1; break;
                default: c.HoldOutFraction = 0.9; break;
            }
        }));

        var result = _validator.Validate(null, options);

        Assert.Contains(expected, result.Failures!);
    }

    [Fact]
    public void Validate_LocalClassifierOnAGenerationTask_FailsNamingTheTaskKind()
    {
        var options = WithClassifier(Classifier());
        options.Tasks["triage"].Kind = "generation";
        options.Tasks["triage"].Output = null;

        var result = _validator.Validate(null, options);

        Assert.Contains("Router:Tasks:triage:Candidates:clf:Model: 'clf' is a local classifier, which only serves classification tasks (this task is 'generation').", result.Failures!);
    }

    [Fact]
    public void Validate_LocalClassifierAsLargeModelOrSharedByTwoTasks_Fails()
    {
        var options = WithClassifier(Classifier());
        options.Tasks["other"] = new TaskOptions
        {
            Kind = "classification",
            Route = "large",
            Large = new LargePromptOptions { Model = "clf", System = "x" },
            Small = new SmallPromptOptions { Model = "clf", System = "y" },
            Output = new OutputRuleOptions { Labels = ["a", "b"] },
        };

        var failures = _validator.Validate(null, options).Failures!;

        Assert.Contains(failures, f => f.StartsWith("Router:Tasks:other:Large:Model: 'clf' is a local classifier", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("local classifier 'clf' already learns task", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ConfidenceThresholdOutsideUnitRange_Fails()
    {
        var options = WithClassifier(Classifier());
        options.Tasks["triage"].ConfidenceThreshold = 1.5;

        Assert.Contains("Router:Tasks:triage:ConfidenceThreshold: 1.5 is outside 0..1.", _validator.Validate(null, options).Failures!);
    }
}
