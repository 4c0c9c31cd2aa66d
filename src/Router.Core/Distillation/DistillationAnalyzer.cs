using Router.Core.Catalog;
using Router.Core.Routing;
using static Router.Core.Distillation.DistillationEconomics;

namespace Router.Core.Distillation;

/// <summary>
/// Turns one task's measured usage into a verdict with its numbers. Pure apart from the clock,
/// which comes from <see cref="TimeProvider"/> so "today" (prompt age, retirement) is testable.
/// </summary>
public sealed class DistillationAnalyzer(TimeProvider timeProvider)
{
    internal const string KnowledgeReason = "knowledge task: keep facts in retrieval";

    public DistillationReport Analyze(DistillationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = input.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Distillation input is invalid: " + string.Join(" ", errors), nameof(input));
        }

        var now = timeProvider.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var settings = input.Settings;
        var usage = input.Usage;
        var small = input.SmallPrices;

        var v = CallsPerDay(usage.Large.Calls + usage.Small.Calls, usage.Days);

        // The caller's input and output are the same whichever route served them, so take them
        // from the large route when it has calls; a distilled task has only small calls, and then the
        // prompt tax it no longer pays comes from the catalog's configured figure.
        var tokens = MeanTokensPerCall(usage.Large) ?? SmallRouteTokens(input);

        var measuredLarge = MeasuredCostPerCall(usage.Large);
        decimal? cL = measuredLarge ?? (tokens is null ? null : ProjectedLargeCostPerCall(tokens, input.LargePrices));
        CostBasis? cLBasis = measuredLarge is not null ? CostBasis.Measured : cL is not null ? CostBasis.Projected : null;
        decimal? cS = tokens is null ? null : ProjectedSmallCostPerCall(tokens, input.SmallSystemPromptTokens, small);

        decimal? t = tokens is null ? null : TrainingCost(settings.TrainingExamples, tokens, input.SmallSystemPromptTokens, settings.Epochs, small);
        var u = settings.UpkeepUsdPerRetrain;
        decimal? f = t is { } training ? FixedCost(training, u) : null;
        var h = HostingPerDay(small);
        var r = UsefulLifeDays(settings.RetrainIntervalDays, small.RetiresOn, today);
        decimal? g = cL is { } l && cS is { } s ? DailySaving(v, l, s, h) : null;
        decimal? p = f is { } fixedCost && g is { } saving ? PaybackDays(fixedCost, saving) : null;
        decimal? vStar = f is { } fx && cL is { } l2 && cS is { } s2 ? BreakEvenCallsPerDay(h, fx, r, l2, s2) : null;

        var stableDays = PromptStableDays(input.PromptVersionSince, now);
        var spend = usage.Large.CostUsd + usage.Small.CostUsd;
        var readiness = new DistillationReadiness(
            KindAllowsDistillation: input.Kind != TaskKind.Knowledge,
            HasEnoughExamples: input.CapturedExamples >= settings.MinimumExamples,
            PromptIsStable: stableDays >= settings.MinimumPromptStableDays,
            PaysBackWithinUsefulLife: r > 0 && p is { } payback && payback <= r);

        var report = new DistillationReport
        {
            Task = input.TaskName,
            Kind = input.Kind,
            Route = input.Route,
            PromptVersion = input.PromptVersion,
            Verdict = DistillationVerdict.NotYet,
            Reasons = [],
            Readiness = readiness,
            GeneratedAt = now,
            WindowDays = settings.WindowDays,
            Provisional = usage.Provisional,
            Basis = UsageBasis.Of(usage, settings.WindowDays),
            SpendUsd = spend,
            SpendPerDay = spend / usage.Days,
            Prompt = PromptFigures.Of(usage.Large, v, input.ExampleCount, input.LargePrices),
            CallsPerDay = v,
            LargeCostPerCall = cL,
            LargeCostBasis = cLBasis,
            SmallCostPerCall = cS,
            PromptTaxTokensPerCall = tokens?.PromptTax,
            CallerInputTokensPerCall = tokens?.CallerInput,
            OutputTokensPerCall = tokens?.Output,
            TrainingCost = t,
            UpkeepCost = u,
            FixedCost = f,
            HostingPerDay = h,
            UsefulLifeDays = r,
            DailySaving = g,
            PaybackDays = p,
            BreakEvenCallsPerDay = vStar,
            CapturedExamples = input.CapturedExamples,
            PromptStableDays = stableDays,
        };

        var judged = input.Route == RouteTarget.Small
            ? Distilled(report, input)
            : Candidate(report, input, today);
        return Explain(judged, hasSmallModel: true, settings);
    }

    /// <summary>Adds what every report carries after its verdict: the order of operations, the next step and why each null is null.</summary>
    public static DistillationReport Explain(DistillationReport report, bool hasSmallModel, DistillationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (steps, next) = OrderOfOperations.Advise(report, hasSmallModel, settings);
        var explained = report with { Steps = steps, NextStep = next };
        return explained with { NullReasons = NullReasons.For(explained, hasSmallModel) };
    }

    private static string NothingToMeasure(DistillationReport report, string route) =>
        report.Provisional ? $"no {route}calls yet; nothing to measure" : $"no {route}calls in the last {report.WindowDays} days; nothing to measure";

    private static TokensPerCall? SmallRouteTokens(DistillationInput input) =>
        MeanTokensPerCall(input.Usage.Small) is { } smallTokens
            ? smallTokens with { PromptTax = input.LargePromptTaxTokens }
            : null;

    /// <summary>A task still on the large route: distill-now, not-yet or not-eligible, with every reason.</summary>
    private static DistillationReport Candidate(DistillationReport report, DistillationInput input, DateOnly today)
    {
        var settings = input.Settings;
        var readiness = report.Readiness;

        // Profit does not matter here: a tuned model would freeze facts that retrieval keeps current.
        if (!readiness.KindAllowsDistillation)
        {
            return report with { Verdict = DistillationVerdict.NotEligible, Reasons = [KnowledgeReason] };
        }

        var notEligible = new List<string>();
        var notYet = new List<string>();

        if (report.LargeCostPerCall is not { } cL || report.SmallCostPerCall is not { } cS)
        {
            notYet.Add(NothingToMeasure(report, string.Empty));
        }
        else if (cS >= cL)
        {
            notEligible.Add($"small model is not cheaper: {ReasonFormat.UsdPerCall(cS)}/call projected vs {ReasonFormat.UsdPerCall(cL)}/call on large");
        }
        else if (report.UsefulLifeDays <= 0 && input.SmallPrices.RetiresOn is { } retired)
        {
            notEligible.Add($"small model retired on {ReasonFormat.Date(retired)}");
        }
        else if (!readiness.PaysBackWithinUsefulLife)
        {
            if (input.SmallPrices.RetiresOn is { } retiresOn && report.UsefulLifeDays < settings.RetrainIntervalDays)
            {
                // More volume could still pay back sooner, but the deadline is fixed by the vendor,
                // not by us: say what it would take rather than promise it will come.
                var payback = report.PaybackDays is { } pd ? $"payback takes {ReasonFormat.Days(pd)} days" : "it never pays back";
                var volume = report.BreakEvenCallsPerDay is { } be ? $"; would need {ReasonFormat.NeededCount(be)} calls/day" : string.Empty;
                notEligible.Add($"small model retires before payback: retires on {ReasonFormat.Date(retiresOn)} (in {report.UsefulLifeDays} days) and {payback} at {ReasonFormat.Count(report.CallsPerDay)} calls/day{volume}");
            }
            else if (report.BreakEvenCallsPerDay is { } vStar)
            {
                // P <= R is the same condition as V >= V*; at least one more call when rounding hides the gap.
                var missing = Math.Max(1m, vStar - report.CallsPerDay);
                notYet.Add($"needs {ReasonFormat.NeededCount(missing)} more calls/day (break-even {ReasonFormat.NeededCount(vStar)} calls/day, now {ReasonFormat.Count(report.CallsPerDay)})");
            }
        }

        if (!readiness.HasEnoughExamples)
        {
            var missing = settings.MinimumExamples - input.CapturedExamples;
            notYet.Add($"needs {ReasonFormat.NeededCount(missing)} more examples (have {ReasonFormat.Count(input.CapturedExamples)} of {ReasonFormat.Count(settings.MinimumExamples)})");
        }

        if (!readiness.PromptIsStable)
        {
            notYet.Add($"prompt changed {report.PromptStableDays} days ago; needs {settings.MinimumPromptStableDays} days stable");
        }

        if (notEligible.Count > 0)
        {
            return report with { Verdict = DistillationVerdict.NotEligible, Reasons = [.. notEligible, .. notYet] };
        }

        if (notYet.Count > 0)
        {
            return report with { Verdict = DistillationVerdict.NotYet, Reasons = notYet };
        }

        return report with
        {
            Verdict = DistillationVerdict.DistillNow,
            Reasons =
            [
                $"pays back in {ReasonFormat.Days(report.PaybackDays!.Value)} days (useful life {report.UsefulLifeDays} days) at {ReasonFormat.Count(report.CallsPerDay)} calls/day; break-even {ReasonFormat.NeededCount(report.BreakEvenCallsPerDay!.Value)} calls/day",
                $"saves {ReasonFormat.Usd(report.DailySaving!.Value)}/day after hosting, before the {ReasonFormat.Usd(report.FixedCost!.Value)} per (re)training",
            ],
        };
    }

    /// <summary>A task already on the small route: what it actually saves against the large baseline.</summary>
    private static DistillationReport Distilled(DistillationReport report, DistillationInput input)
    {
        var usage = input.Usage;
        var reasons = new List<string>();
        var measuredSmall = MeasuredCostPerCall(usage.Small);
        var cascadeRate = CascadeRate(usage.Small);
        decimal? savings = null;

        if (measuredSmall is { } cSMeasured && report.LargeCostPerCall is { } cL)
        {
            var smallCallsPerDay = CallsPerDay(usage.Small.Calls, usage.Days);
            savings = MeasuredSavingsPerDay(smallCallsPerDay, cL, cSMeasured, report.HostingPerDay);
            var basis = report.LargeCostBasis == CostBasis.Measured ? "measured" : "projected";
            var verb = savings >= 0 ? "saves" : "costs";
            reasons.Add($"{verb} {ReasonFormat.Usd(Math.Abs(savings.Value))}/day {(savings >= 0 ? "against" : "more than")} the large baseline: {ReasonFormat.UsdPerCall(cSMeasured)}/call measured on small vs {ReasonFormat.UsdPerCall(cL)}/call {basis} on large, hosting {ReasonFormat.Usd(report.HostingPerDay)}/day");
        }
        else
        {
            reasons.Add(NothingToMeasure(report, "small-model "));
        }

        if (cascadeRate is { } rate)
        {
            reasons.Add($"cascade rate {ReasonFormat.Percent(rate)} ({ReasonFormat.Count(usage.Small.Escalations)} of {ReasonFormat.Count(usage.Small.Calls)} calls escalated to large)");
        }

        if (!report.Readiness.KindAllowsDistillation)
        {
            reasons.Add(KnowledgeReason);
        }

        if (input.SmallPrices.RetiresOn is { } retiresOn && report.UsefulLifeDays < input.Settings.RetrainIntervalDays)
        {
            reasons.Add($"small model retires on {ReasonFormat.Date(retiresOn)} (in {report.UsefulLifeDays} days); plan the retrain");
        }

        return report with
        {
            Verdict = DistillationVerdict.Distilled,
            Reasons = reasons,
            MeasuredSmallCostPerCall = measuredSmall,
            MeasuredSavingsPerDay = savings,
            CascadeRate = cascadeRate,
        };
    }
}
