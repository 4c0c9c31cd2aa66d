using Router.Core.Catalog;
using Router.Core.Promotion;
using Router.Core.Routing;
using Router.Core.Tests.Catalog;

namespace Router.Core.Tests.Promotion;

public sealed class RouteOverridesTests
{
    private static readonly CatalogTask Task = BuildTask();

    private static CatalogTask BuildTask()
    {
        var options = CatalogFixtures.Options();
        options.Models["mini"] = CatalogFixtures.Model("gpt-4o-mini", 0.15m, 0.075m, 0.60m);
        options.Tasks["triage"].Route = "large";
        options.Tasks["triage"].Candidates["mini"] = new CandidateOptions { Model = "mini", Prompt = "large", ShadowRate = 0.1, DailyBudgetUsd = 1 };
        options.Tasks["triage"].Candidates["tuned"] = new CandidateOptions { Model = "small", Prompt = "small", ShadowRate = 0.1, DailyBudgetUsd = 1 };
        return CatalogFixtures.Catalog(options).Tasks.Single();
    }

    private static RouteOverride Promoted(string candidate, string model) => new()
    {
        Task = Task.Name,
        Candidate = candidate,
        Model = model,
        PromotedBy = "ops",
        PromotedAt = DateTimeOffset.UnixEpoch,
        Reason = "test",
        Evidence = new PromotionEvidence(100, 99, 0.99, 0.95, 1, null, 0.95),
    };

    [Fact]
    public void Apply_VersionedPromotion_SmallModelPinnedToThePromotedVersionAndTheRequestCarriesIt()
    {
        var overrides = new RouteOverrides();
        overrides.Set(Promoted("tuned", "small") with { Version = "v1" });

        var served = overrides.Apply(Task);
        var plan = PlannedCall.For(new RouteRequest(served, new Router.Core.Security.ClientIdentity("caller", new HashSet<string> { "caller" }), [new CallerMessage("user", "hello")], null, null, null, "chat", 0), RouteTarget.Small, new PromptBuilder(new TokenCounter()));

        Assert.Equal(("small", "v1"), (served.SmallModel!.Name, served.SmallModel.PinnedVersion));
        Assert.Equal("v1", plan.Request.ModelVersion);
        Assert.Null(Task.SmallModel!.PinnedVersion); // the catalog's model is untouched: the candidate is measured at the pointer's version
    }

    [Fact]
    public void Apply_TunedCandidatePromoted_SmallRouteOnItsModelWithTheShortPrompt()
    {
        var overrides = new RouteOverrides();
        overrides.Set(Promoted("tuned", "small"));

        var served = overrides.Apply(Task);

        Assert.Equal((RouteTarget.Small, "small", "tuned", false), (served.Route, served.SmallModel!.Name, served.PromotedCandidate, served.SmallPromptIsLarge));
        Assert.Equal("large", served.LargeModel.Name); // the reference of the live shadow slice and the cascade target
        Assert.Equal(RouteTarget.Large, Task.Route); // the catalog's task is untouched
    }

    [Fact]
    public void Apply_PromptedCandidatePromoted_SmallRouteSendsTheFullLargePlan()
    {
        var overrides = new RouteOverrides();
        overrides.Set(Promoted("mini", "mini"));
        var served = overrides.Apply(Task);

        var prompt = new PromptBuilder(new TokenCounter()).Build(served, RouteTarget.Small, [new CallerMessage("user", "hello")], null);

        Assert.Equal(("mini", true), (served.SmallModel!.Name, served.SmallPromptIsLarge));
        Assert.Equal(Task.LargeSystem, prompt.Messages[0].Content);
        Assert.Equal(Task.ExamplesTokens, prompt.ExamplesTokens);
    }

    [Fact]
    public void Apply_CandidateNoLongerInTheCatalog_CatalogRoute()
    {
        var overrides = new RouteOverrides();
        overrides.Set(Promoted("gone", "small"));

        Assert.Same(Task, overrides.Apply(Task));
    }

    [Fact]
    public void Replace_ReadBeforeALocalPromotion_DoesNotUndoIt()
    {
        var overrides = new RouteOverrides();
        var readAt = overrides.Generation;
        overrides.Set(Promoted("tuned", "small")); // promoted here while a refresh was reading storage

        Assert.False(overrides.Replace([], readAt));
        Assert.NotNull(overrides.Current(Task.Name));
        Assert.True(overrides.Replace([], overrides.Generation));
        Assert.Null(overrides.Current(Task.Name));
    }
}
