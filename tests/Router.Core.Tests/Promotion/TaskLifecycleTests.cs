using Router.Core.Promotion;

namespace Router.Core.Tests.Promotion;

public sealed class TaskLifecycleTests
{
    private static RouteOverrideEvent Step(string kind, string candidate, string? version, int minute) => new()
    {
        Task = "triage",
        Kind = kind,
        At = DateTimeOffset.UnixEpoch.AddMinutes(minute),
        By = kind == RouteOverrideEvent.RolledBack ? RoutePromotion.Rule : "ops",
        Candidate = candidate,
        Model = "m",
        Version = version,
        Reason = "r",
    };

    [Fact]
    public void RolledBack_HistoryNewestFirst_OnlyVersionsWhoseLastStepIsARollback()
    {
        var life = TaskLifecycle.CatalogRoute with
        {
            History =
            [
                Step(RouteOverrideEvent.RolledBack, "classifier", "v3", 9),
                Step(RouteOverrideEvent.Promoted, "classifier", "v3", 8),
                Step(RouteOverrideEvent.Promoted, "classifier", "v2", 7), // promoted again by a person after its rollback
                Step(RouteOverrideEvent.RolledBack, "classifier", "v2", 6),
                Step(RouteOverrideEvent.Promoted, "classifier", "v2", 5),
                Step(RouteOverrideEvent.RolledBack, "mini", null, 4),
                Step(RouteOverrideEvent.Restored, "classifier", "v1", 3),
            ],
        };

        Assert.Equal(["classifier@v3", "mini"], life.RolledBack().Order(StringComparer.Ordinal));
    }
}
