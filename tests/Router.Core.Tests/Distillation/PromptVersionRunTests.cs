using Router.Core.Distillation.Reporting;

namespace Router.Core.Tests.Distillation;

public sealed class PromptVersionRunTests
{
    private static readonly DateTimeOffset H0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Since_OlderVersionThenCurrent_EarliestHourOfTheCurrentRun()
    {
        var run = new PromptVersionRun("pv-new");
        run.Add(H0, "pv-old");
        run.Add(H0.AddHours(1), "pv-new");
        run.Add(H0.AddHours(5), "pv-new"); // hours 2..4 had no traffic: a gap does not break the run

        Assert.Equal(H0.AddHours(1), run.Since);
        Assert.True(run.IsBroken);
    }

    [Fact]
    public void Since_HourWithBothVersions_RunStartsAfterIt()
    {
        var run = new PromptVersionRun("pv-new");
        run.Add(H0.AddHours(2), "pv-new");
        run.Add(H0.AddHours(1), "pv-new");
        run.Add(H0.AddHours(1), "pv-old"); // another instance still on the old prompt in that hour

        Assert.Equal(H0.AddHours(2), run.Since);
    }

    [Fact]
    public void Since_NewestHourOnAnotherVersion_Null()
    {
        var run = new PromptVersionRun("pv-new");
        run.Add(H0, "pv-new");
        run.Add(H0.AddHours(1), null); // rows without a version count as another version

        Assert.Null(run.Since);
    }

    [Fact]
    public void IsBroken_OnlyCurrentVersion_FalseSoTheReaderLooksFurtherBack()
    {
        var run = new PromptVersionRun("pv-new");
        run.Add(H0, "pv-new");

        Assert.False(run.IsBroken);
        Assert.Equal(H0, run.Since);
    }
}
