using Router.Core.Catalog;
using Router.Core.Distillation;
using Router.Core.Routing;
using static Router.Core.Tests.Distillation.DistillationScenario;

namespace Router.Core.Tests.Distillation;

/// <summary>The next-step sentence for each kind of task, with its numbers worked out from <see cref="DistillationScenario"/>.</summary>
public sealed class OrderOfOperationsTests
{
    [Fact]
    public void Analyze_DistillPaysNow_NextStepIsFineTuneWithSavingAndPayback()
    {
        // V = 20,000/day; G = 20,000 x (0.00595 - 0.000129) - 40.80 = 75.62; P = 503.33 / 75.62 = 6.66 days.
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 280_000) with { ExampleCount = 3 });

        Assert.Equal(StepName.FineTune, report.NextStep!.Step);
        Assert.Equal("distilling saves $75.62/day at 20,000 calls/day; payback 6.7 days", report.NextStep.Sentence);
        Assert.Equal(75.62m, report.NextStep.SavingPerDay);
        // Examples are 52% of the input, but training removes them anyway: trimming is not the advice.
        var prompt = report.Steps.Single(s => s.Step == StepName.Prompt);
        Assert.Equal(StepStatus.Done, prompt.Status);
        Assert.Equal([StepName.Prompt, StepName.Retrieval, StepName.CheaperModel, StepName.FineTune], report.Steps.Select(s => s.Step));
    }

    [Fact]
    public void Analyze_DistilledTaskWhoseHostingExceedsTheSaving_NextStepSaysPerTokenOrRouteBack()
    {
        // 14,000 small calls in 14 days = 1,000/day at a measured $0.00015 each, against c_L projected at $0.00595:
        // gross saving 1,000 x 0.0058 = $5.80/day; hosting $40.80/day; measured saving 5.80 - 40.80 = -$35.00/day.
        var input = Input(largeCallsInWindow: 0) with
        {
            Route = RouteTarget.Small,
            Usage = new TaskUsageWindow { Days = WindowDays, Small = SmallCalls(14_000, 14_000 * 0.00015m, escalations: 0) },
        };

        var report = Analyzer().Analyze(input);

        Assert.Equal(DistillationVerdict.Distilled, report.Verdict);
        Assert.Equal(-35.00m, report.MeasuredSavingsPerDay);
        Assert.Equal(StepName.FineTune, report.NextStep!.Step);
        Assert.Equal("the small deployment's hosting ($40.80/day) exceeds the saving ($5.80/day): use a per-token deployment or route back to large", report.NextStep.Sentence);
        Assert.Equal(35.00m, report.NextStep.SavingPerDay);
    }

    [Fact]
    public void Analyze_PromptTaxDominantAndDistillingDoesNotPay_NextStepTrimsTheExamples()
    {
        // V = 2,000/day: G < 0 (hosting). Examples: 1,200 of 2,300 input tokens = 52%;
        // 1,200 x 2,000 calls x $2.50 / 1M = $6.00/day.
        var report = Analyzer().Analyze(Input(largeCallsInWindow: 28_000) with { ExampleCount = 3 });

        Assert.Equal(DistillationVerdict.NotYet, report.Verdict);
        Assert.Equal(StepName.Prompt, report.NextStep!.Step);
        Assert.Equal("trim the 3 few-shot examples: 52% of input tokens, $6.00/day", report.NextStep.Sentence);
        Assert.Null(report.NextStep.SavingPerDay);
        var prompt = report.Prompt!;
        Assert.Equal(2_300m, prompt.InputTokensPerCall);
        Assert.Equal(2_000m / 2_300m, prompt.PromptTaxShare);
        Assert.Equal(10.00m, prompt.PromptTaxUsdPerDay); // 2,000 x 2,000 x 2.50 / 1M
        var fineTune = report.Steps.Single(s => s.Step == StepName.FineTune);
        Assert.Equal(StepStatus.Wait, fineTune.Status);
        // G + H = 2,000 x 0.005821 = 11.642; V* = 7,969.9
        Assert.Equal("the small deployment's hosting ($40.80/day) exceeds the saving ($11.64/day): stay on large or use a per-token deployment; it pays from 7,970 calls/day (now 2,000)", fineTune.Finding);
    }

    [Fact]
    public void Analyze_SystemPromptDominant_NextStepShortensTheSystemPrompt()
    {
        // 2,000 system tokens, no examples, 300 caller: the system prompt is 87% of the input.
        var usage = LargeCalls(28_000) with { SystemTokens = 28_000 * 2_000L, ExampleTokens = 0 };
        var report = Analyzer().Analyze(Input(0) with { Usage = new TaskUsageWindow { Days = WindowDays, Large = usage } });

        Assert.Equal("shorten the system prompt: 87% of input tokens, $10.00/day", report.NextStep!.Sentence);
    }

    [Fact]
    public void Analyze_KnowledgeTask_NextStepKeepsFactsInRetrievalWithContextTokens()
    {
        // 300 system + 2,400 context + 300 caller = 3,000 input; context 80%: 2,400 x 2,000 calls x 2.50 / 1M = $12.00/day.
        var usage = LargeCalls(28_000) with { SystemTokens = 28_000 * 300L, ExampleTokens = 0, ContextTokens = 28_000 * 2_400L };
        var input = Input(0) with { Kind = TaskKind.Knowledge, Usage = new TaskUsageWindow { Days = WindowDays, Large = usage } };

        var report = Analyzer().Analyze(input);

        Assert.Equal(DistillationVerdict.NotEligible, report.Verdict);
        Assert.Equal(StepName.Retrieval, report.NextStep!.Step);
        Assert.Equal("not eligible: keep facts in retrieval: 2,400 context tokens per call (80% of input, $12.00/day)", report.NextStep.Sentence);
        Assert.Equal(StepStatus.Skip, report.Steps.Single(s => s.Step == StepName.FineTune).Status);
    }

    [Fact]
    public void Analyze_LargeBreaksTheFormatOneInTwenty_NextStepFixesThePromptEvenWhenDistillingPays()
    {
        var usage = LargeCalls(280_000) with { RuleViolations = 14_000 };
        var report = Analyzer().Analyze(Input(0) with { Usage = new TaskUsageWindow { Days = WindowDays, Large = usage } });

        Assert.Equal(DistillationVerdict.DistillNow, report.Verdict);
        Assert.Equal(StepName.Prompt, report.NextStep!.Step);
        Assert.StartsWith("fix the prompt's output format first: the large model breaks the output rules 1 in 20 (14,000 of 280,000 answers)", report.NextStep.Sentence);
        Assert.Equal(0.05m, report.Prompt!.LargeRuleViolationRate);
    }

    [Fact]
    public void Analyze_FewLargeAnswersWithViolations_RateNotTrustedYet()
    {
        // 3 violations in 10 answers is 30%, but under MinimumAnswersForRuleRate (20) answers.
        var usage = LargeCalls(10) with { RuleViolations = 3 };
        var report = Analyzer().Analyze(Input(0) with { Usage = new TaskUsageWindow { Days = WindowDays, Large = usage } });

        Assert.DoesNotContain("output format", report.NextStep!.Sentence, StringComparison.Ordinal);
        Assert.Equal(3, report.Prompt!.LargeRuleViolations);
    }

    [Fact]
    public void Analyze_NoCallsYet_NextStepSaysThereIsNothingToMeasure()
    {
        var report = Analyzer().Analyze(Input(0) with { Usage = new TaskUsageWindow { Days = WindowDays, Provisional = true } });

        Assert.Equal(StepName.FineTune, report.NextStep!.Step);
        Assert.Equal("no calls yet to measure; send traffic and run the report", report.NextStep.Sentence);
        Assert.Equal(["no calls yet; nothing to measure"], report.Reasons);
        Assert.All(report.Steps, s => Assert.NotEqual(StepStatus.Act, s.Status));
    }
}
