using Router.Core.Catalog;
using Router.Core.Routing;

namespace Router.Core.Distillation;

/// <summary>
/// The article's order of operations applied to one task's report: prompt, retrieval, a cheaper
/// prompted model, fine-tune. Each step gets a status and a finding in numbers; the next step is
/// the first step (in that order) that says act, else the step that decides what the task waits
/// for. Trimming the prompt is not advised when distilling pays now: training removes the prompt
/// tax anyway, and trimming first would only shrink the saving it is worth.
/// </summary>
public static class OrderOfOperations
{
    public static (IReadOnlyList<OperationStep> Steps, NextStep Next) Advise(DistillationReport report, bool hasSmallModel, DistillationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(settings);
        var fineTune = FineTune(report, hasSmallModel);
        var steps = new List<OperationStep>
        {
            Prompt(report, settings, distillingPays: fineTune.Status == StepStatus.Act && report.Route == RouteTarget.Large),
            Retrieval(report),
            CheaperModel(),
            fineTune,
        };
        return (steps, Next(report, steps));
    }

    /// <summary>The next step of a report whose steps are already known (after other evidence replaced one).</summary>
    public static NextStep Next(DistillationReport report, IReadOnlyList<OperationStep> steps)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(steps);
        var act = steps.FirstOrDefault(s => s.Status == StepStatus.Act);
        if (act is not null)
        {
            return new NextStep { Step = act.Step, Sentence = act.Finding, SavingPerDay = act.SavingPerDay };
        }

        if (report.Kind == TaskKind.Knowledge && steps.FirstOrDefault(s => s.Step == StepName.Retrieval) is { } retrieval)
        {
            return new NextStep { Step = StepName.Retrieval, Sentence = "not eligible: " + retrieval.Finding };
        }

        var last = steps.LastOrDefault(s => s.Step == StepName.FineTune) ?? steps[^1];
        return new NextStep { Step = last.Step, Sentence = last.Finding, SavingPerDay = last.SavingPerDay };
    }

    private static OperationStep Prompt(DistillationReport report, DistillationSettings settings, bool distillingPays)
    {
        if (report.Prompt is not { } p)
        {
            return report.Route == RouteTarget.Small
                ? Step(StepName.Prompt, StepStatus.Skip, "distilled: the small model answers without the large prompt")
                : Step(StepName.Prompt, StepStatus.Unknown, "no large-model answers yet to measure the prompt");
        }

        if (p.LargeAnswers >= settings.MinimumAnswersForRuleRate && p.LargeRuleViolationRate >= settings.RuleViolationRateToAct)
        {
            var oneIn = p.LargeRuleViolations == 0 ? 0 : Math.Round((decimal)p.LargeAnswers / p.LargeRuleViolations, MidpointRounding.AwayFromZero);
            return Step(StepName.Prompt, StepStatus.Act,
                $"fix the prompt's output format first: the large model breaks the output rules 1 in {ReasonFormat.Count(oneIn)} ({ReasonFormat.Count(p.LargeRuleViolations)} of {ReasonFormat.Count(p.LargeAnswers)} answers); a model tuned on its answers would learn the breakage");
        }

        var examplesLead = p.ExampleTokensPerCall >= p.SystemTokensPerCall;
        var share = examplesLead ? p.ExampleShare : p.SystemShare;
        var usd = examplesLead ? p.ExamplesUsdPerDay : p.SystemUsdPerDay;
        var what = examplesLead
            ? $"trim the {ReasonFormat.Count(p.ExampleCount)} few-shot example{(p.ExampleCount == 1 ? string.Empty : "s")}"
            : "shorten the system prompt";
        if (share >= settings.PromptPartShareToAct && !distillingPays)
        {
            return Step(StepName.Prompt, StepStatus.Act, $"{what}: {ReasonFormat.WholePercent(share)} of input tokens, {ReasonFormat.Usd(usd)}/day");
        }

        var rules = p.LargeRuleViolations == 0
            ? "the large model keeps the output rules"
            : $"the large model broke the output rules in {ReasonFormat.Count(p.LargeRuleViolations)} of {ReasonFormat.Count(p.LargeAnswers)} answers";
        return Step(StepName.Prompt, StepStatus.Done,
            $"prompt tax {ReasonFormat.WholePercent(p.PromptTaxShare)} of input tokens ({ReasonFormat.Usd(p.PromptTaxUsdPerDay)}/day); {rules}");
    }

    private static OperationStep Retrieval(DistillationReport report)
    {
        var context = report.Prompt is { } p
            ? $"{ReasonFormat.Count(p.ContextTokensPerCall)} context tokens per call ({ReasonFormat.WholePercent(p.ContextShare)} of input, {ReasonFormat.Usd(p.ContextUsdPerDay)}/day)"
            : "no calls yet to count its context tokens";
        return report.Kind == TaskKind.Knowledge
            ? Step(StepName.Retrieval, StepStatus.Done, $"keep facts in retrieval: {context}")
            : Step(StepName.Retrieval, StepStatus.Skip, report.Prompt is { ContextTokensPerCall: > 0 } ? $"not a knowledge task; {context}" : "not a knowledge task: no retrieval needed");
    }

    /// <summary>Until shadow evaluation measures a candidate, there is no evidence either way.</summary>
    private static OperationStep CheaperModel() =>
        Step(StepName.CheaperModel, StepStatus.Unknown, "no cheaper prompted model evaluated yet: a shadow candidate would measure one on live traffic");

    private static OperationStep FineTune(DistillationReport report, bool hasSmallModel)
    {
        if (report.Kind == TaskKind.Knowledge)
        {
            return Step(StepName.FineTune, StepStatus.Skip, "not eligible: knowledge task, keep facts in retrieval");
        }

        if (!hasSmallModel)
        {
            return Step(StepName.FineTune, StepStatus.Skip, report.Reasons.Count > 0 ? report.Reasons[0] : "no small deployment configured");
        }

        return report.Route == RouteTarget.Small ? Distilled(report) : Candidate(report);
    }

    private static OperationStep Distilled(DistillationReport report)
    {
        if (report.MeasuredSavingsPerDay is not { } saving || report.MeasuredSmallCostPerCall is not { } cS || report.LargeCostPerCall is not { } cL)
        {
            return Step(StepName.FineTune, StepStatus.Unknown, "distilled, but no small-model calls yet to measure what it saves");
        }

        var h = report.HostingPerDay;
        var gross = saving + h;
        if (saving >= 0)
        {
            var cascade = report.CascadeRate is { } rate ? $"; cascade rate {ReasonFormat.Percent(rate)}" : string.Empty;
            return Step(StepName.FineTune, StepStatus.Done, $"distilled: saves {ReasonFormat.Usd(saving)}/day against the large model{cascade}");
        }

        if (gross > 0)
        {
            return Step(StepName.FineTune, StepStatus.Act,
                $"the small deployment's hosting ({ReasonFormat.Usd(h)}/day) exceeds the saving ({ReasonFormat.Usd(gross)}/day): use a per-token deployment or route back to large",
                saving: -saving);
        }

        return Step(StepName.FineTune, StepStatus.Act,
            $"the small route costs more per call than large ({ReasonFormat.UsdPerCall(cS)} vs {ReasonFormat.UsdPerCall(cL)}): route back to large, it saves {ReasonFormat.Usd(-saving)}/day",
            saving: -saving);
    }

    private static OperationStep Candidate(DistillationReport report)
    {
        if (report.LargeCostPerCall is not { } cL || report.SmallCostPerCall is not { } cS || report.DailySaving is not { } g)
        {
            return Step(StepName.FineTune, StepStatus.Unknown, "no calls yet to measure; send traffic and run the report");
        }

        if (report.Verdict == DistillationVerdict.DistillNow)
        {
            var payback = report.PaybackDays is { } p ? $"; payback {ReasonFormat.Days(p)} days" : string.Empty;
            return Step(StepName.FineTune, StepStatus.Act, $"distilling saves {ReasonFormat.Usd(g)}/day at {ReasonFormat.Count(report.CallsPerDay)} calls/day{payback}", saving: g);
        }

        if (cS >= cL)
        {
            return Step(StepName.FineTune, StepStatus.Skip, $"the small model is not cheaper: {ReasonFormat.UsdPerCall(cS)}/call vs {ReasonFormat.UsdPerCall(cL)}/call on large; stay on large");
        }

        var gross = g + report.HostingPerDay;
        if (g <= 0 && report.HostingPerDay > 0 && gross > 0)
        {
            var from = report.BreakEvenCallsPerDay is { } vStar ? $"; it pays from {ReasonFormat.NeededCount(vStar)} calls/day (now {ReasonFormat.Count(report.CallsPerDay)})" : string.Empty;
            return Step(StepName.FineTune, StepStatus.Wait,
                $"the small deployment's hosting ({ReasonFormat.Usd(report.HostingPerDay)}/day) exceeds the saving ({ReasonFormat.Usd(gross)}/day): stay on large or use a per-token deployment{from}");
        }

        var status = report.Verdict == DistillationVerdict.NotEligible ? StepStatus.Skip : StepStatus.Wait;
        var reasons = report.Reasons.Count > 0 ? string.Join("; ", report.Reasons) : "not ready";
        var worth = g > 0 ? $"; distilling would save {ReasonFormat.Usd(g)}/day" : string.Empty;
        return Step(StepName.FineTune, status, reasons + worth);
    }

    private static OperationStep Step(StepName step, StepStatus status, string finding, decimal? saving = null) =>
        new() { Step = step, Status = status, Finding = finding, SavingPerDay = saving };
}
