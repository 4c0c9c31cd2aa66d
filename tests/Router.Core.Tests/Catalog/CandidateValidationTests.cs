using Router.Core.Catalog;
using Router.Core.Routing;

namespace Router.Core.Tests.Catalog;

public sealed class CandidateValidationTests
{
    private readonly RouterOptionsValidator _validator = new();

    private static RouterOptions WithCandidate(CandidateOptions candidate, string name = "mini")
    {
        var options = CatalogFixtures.Options();
        options.Models["mini"] = CatalogFixtures.Model("gpt-4o-mini", 0.15m, 0.075m, 0.60m);
        options.Tasks["triage"].Candidates[name] = candidate;
        return options;
    }

    [Fact]
    public void Validate_WellFormedCandidate_SucceedsAndCompilesIntoTheTask()
    {
        var options = WithCandidate(new CandidateOptions { Model = "mini", Prompt = "large", ShadowRate = 0.2, DailyBudgetUsd = 1.5m });
        options.Tasks["triage"].QualityBar = 0.9;
        options.Tasks["triage"].LargeShadow = new LargeShadowOptions { ShadowRate = 0.1, DailyBudgetUsd = 2m };

        var result = _validator.Validate(null, options);
        var task = CatalogFixtures.Catalog(options).Tasks.Single();

        Assert.True(result.Succeeded, result.FailureMessage);
        var candidate = Assert.Single(task.Candidates);
        Assert.Equal(("mini", "gpt-4o-mini", RouteTarget.Large, 0.2, 1.5m), (candidate.Name, candidate.Model.Deployment, candidate.Prompt, candidate.ShadowRate, candidate.DailyBudgetUsd));
        Assert.Equal((0.9, 0.1, 2m), (task.QualityBar, task.LargeShadowRate, task.LargeShadowDailyBudgetUsd));
    }

    [Fact]
    public void Validate_NoCandidates_DefaultsToAQualityBarOf95Percent()
    {
        var task = CatalogFixtures.Catalog().Tasks.Single();

        Assert.Empty(task.Candidates);
        Assert.Equal(0.95, task.QualityBar);
        Assert.Equal(0, task.LargeShadowRate);
    }

    [Theory]
    [InlineData("nope", "large", 0.1, 1.0, "Router:Tasks:triage:Candidates:mini:Model: unknown model 'nope'")]
    [InlineData("mini", "medium", 0.1, 1.0, "Router:Tasks:triage:Candidates:mini:Prompt: 'medium' is not one of large")]
    [InlineData("mini", "large", 1.5, 1.0, "Router:Tasks:triage:Candidates:mini:ShadowRate: 1.5 is outside 0..1")]
    [InlineData("mini", "large", -0.1, 1.0, "Router:Tasks:triage:Candidates:mini:ShadowRate: -0.1 is outside 0..1")]
    [InlineData("mini", "large", 0.1, -1.0, "Router:Tasks:triage:Candidates:mini:DailyBudgetUsd: -1 is negative")]
    [InlineData("mini", "large", 0.1, 0.0, "Router:Tasks:triage:Candidates:mini:DailyBudgetUsd: is required and above zero")]
    [InlineData("large", "large", 0.1, 1.0, "Router:Tasks:triage:Candidates:mini: model 'large' with the large prompt is the task's own large route")]
    public void Validate_BadCandidate_NamesTheSetting(string model, string prompt, double rate, double budget, string expected)
    {
        var options = WithCandidate(new CandidateOptions { Model = model, Prompt = prompt, ShadowRate = rate, DailyBudgetUsd = (decimal)budget });

        var result = _validator.Validate(null, options);

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShadowRateWithoutBudget_IsRefused()
    {
        var options = WithCandidate(new CandidateOptions { Model = "mini", ShadowRate = 0.1 });

        var result = _validator.Validate(null, options);

        Assert.Contains("Router:Tasks:triage:Candidates:mini:DailyBudgetUsd: is required", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnsampledCandidateWithoutBudget_IsAllowed()
    {
        var options = WithCandidate(new CandidateOptions { Model = "mini", ShadowRate = 0 });

        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_CandidateNameWithColon_IsRefusedBecauseLiveEvidenceUsesIt()
    {
        var options = WithCandidate(new CandidateOptions { Model = "mini", ShadowRate = 0 }, name: "live:small");

        var result = _validator.Validate(null, options);

        Assert.Contains("Router:Tasks:triage:Candidates:live:small: the candidate name must be lowercase", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SmallPromptWithoutSmallSection_IsRefused()
    {
        var options = WithCandidate(new CandidateOptions { Model = "mini", Prompt = "small", ShadowRate = 0 });
        options.Tasks["triage"].Route = "large";
        options.Tasks["triage"].Small = null;

        var result = _validator.Validate(null, options);

        Assert.Contains("Router:Tasks:triage:Candidates:mini:Prompt: 'small' needs the task's Small section", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.01)]
    public void Validate_QualityBarOutOfRange_NamesTheSetting(double bar)
    {
        var options = CatalogFixtures.Options();
        options.Tasks["triage"].QualityBar = bar;

        Assert.Contains("Router:Tasks:triage:QualityBar:", _validator.Validate(null, options).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LargeShadowRateWithoutBudget_NamesTheSetting()
    {
        var options = CatalogFixtures.Options();
        options.Tasks["triage"].LargeShadow = new LargeShadowOptions { ShadowRate = 0.05 };

        Assert.Contains("Router:Tasks:triage:LargeShadow:DailyBudgetUsd: is required", _validator.Validate(null, options).FailureMessage, StringComparison.Ordinal);
    }
}
