using Microsoft.Extensions.Time.Testing;
using Router.Core.Evaluation;

namespace Router.Core.Tests.Evaluation;

public sealed class ShadowBudgetTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 22, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryStart_SerialCalls_StopWithinOneCallOfTheCapAndResumeTheNextUtcDay()
    {
        var budget = new ShadowBudget(_time);
        var started = 0;
        // 0.3 USD per call, 1.00 USD per day: calls 1-4 start (spent 0, 0.3, 0.6, 0.9 < 1.0), the fifth does not.
        while (budget.TryStart("t", "mini", 1.00m, out var day))
        {
            budget.Finish(day, "t", "mini", 0.30m);
            started++;
            Assert.True(started < 10, "the budget never stopped shadowing");
        }

        Assert.Equal(4, started);
        Assert.Equal(1.20m, budget.SpentToday("t", "mini"));
        Assert.True(budget.SpentToday("t", "mini") - 1.00m < 0.30m, "overshoot is less than one call");

        _time.Advance(TimeSpan.FromHours(2)); // 00:00 UTC, the next day
        Assert.Equal(0m, budget.SpentToday("t", "mini"));
        Assert.True(budget.TryStart("t", "mini", 1.00m, out var next));
        Assert.Equal(new DateOnly(2026, 3, 2), next);
    }

    [Fact]
    public void TryStart_CallsStillRunning_CountAtTheLastCallsCost()
    {
        var budget = new ShadowBudget(_time);
        Assert.True(budget.TryStart("t", "mini", 1.00m, out var day));
        budget.Finish(day, "t", "mini", 0.40m);

        // Spent 0.40, and each running call is assumed to cost 0.40 as well:
        Assert.True(budget.TryStart("t", "mini", 1.00m, out _));  // 0.40 + 0 running < 1.00
        Assert.True(budget.TryStart("t", "mini", 1.00m, out _));  // 0.40 + 0.40 < 1.00
        Assert.False(budget.TryStart("t", "mini", 1.00m, out _)); // 0.40 + 0.80 >= 1.00
    }

    [Fact]
    public void TryStart_CandidatesAndTasks_HaveBudgetsOfTheirOwn()
    {
        var budget = new ShadowBudget(_time);
        Assert.True(budget.TryStart("t", "a", 0.10m, out var day));
        budget.Finish(day, "t", "a", 0.10m);

        Assert.False(budget.TryStart("t", "a", 0.10m, out _));
        Assert.True(budget.TryStart("t", "b", 0.10m, out _));
        Assert.True(budget.TryStart("u", "a", 0.10m, out _));
    }
}
