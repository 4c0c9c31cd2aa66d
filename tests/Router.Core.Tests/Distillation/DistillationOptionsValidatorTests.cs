using Microsoft.Extensions.Options;
using Router.Core.Catalog;
using Router.Core.Distillation;
using Router.Core.Distillation.Samples;

namespace Router.Core.Tests.Distillation;

public sealed class DistillationOptionsValidatorTests
{
    private static readonly DistillationOptionsValidator Validator = new(Options.Create(new RouterOptions { Models = { ["small"] = new ModelOptions() } }));

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(Validator.Validate(null, new DistillationOptions()).Succeeded);
    }

    [Fact]
    public void Validate_BadSettings_EachMessageNamesItsSetting()
    {
        var result = Validator.Validate(null, new DistillationOptions
        {
            WindowDays = 0,
            Schedule = "every morning",
            WebhookUrl = "not a url",
            DefaultSmallModel = "missing",
            MaxSampleBytes = 100_000,
        });

        var failures = result.Failures!.ToArray();
        Assert.Contains(failures, f => f.StartsWith("Router:Distillation:WindowDays must be at least 1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Router:Distillation:Schedule:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Router:Distillation:WebhookUrl:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Router:Distillation:DefaultSmallModel: unknown model 'missing'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Router:Distillation:MaxSampleBytes:", StringComparison.Ordinal));
        Assert.Equal(5, failures.Length);
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(1.0, true)]
    public void IsSampled_RateZeroOrOne_NeverOrAlways(double rate, bool expected)
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(expected, SampleKeys.IsSampled("call-" + i, rate));
        }
    }

    [Fact]
    public void IsSampled_RateOneTenth_DeterministicAndAboutOneInTen()
    {
        var kept = Enumerable.Range(0, 10_000).Count(i => SampleKeys.IsSampled("call-" + i, 0.1));

        Assert.InRange(kept, 900, 1_100);
        Assert.Equal(SampleKeys.IsSampled("call-42", 0.1), SampleKeys.IsSampled("call-42", 0.1));
    }
}
