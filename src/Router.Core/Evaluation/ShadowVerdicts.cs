using System.Globalization;
using Router.Core.Catalog;
using Router.Core.Distillation;
using Router.Core.Routing;

namespace Router.Core.Evaluation;

/// <summary>
/// Adds the shadow evidence to a task's report and lets it decide, in the order of operations:
/// <list type="number">
/// <item><b>switch-prompt</b>: a large-prompt candidate whose interval's lower bound is at or above the
/// task's quality bar and which saves money: no training needed (knowledge tasks too);</item>
/// <item><b>promote</b>: a tuned small-prompt candidate that meets the bar and saves money;</item>
/// <item><b>distill-now</b> shows how far the untrained cheaper model is from the bar (training must close the gap);</item>
/// <item><b>not-yet</b> names the shadow samples still missing for a decisive interval;</item>
/// <item><b>distilled</b> shows the small route's live agreement with the large shadow slice and warns
/// when its lower bound drops under the bar.</item>
/// </list>
/// The cheaper-model and fine-tune steps carry the same findings and the next step is recomputed.
/// A candidate (version) the rule rolled back is never advised again: it needs a new version (another
/// evidence name) or a person's explicit promotion (a later history step) first.
/// </summary>
public static class ShadowVerdicts
{
    /// <param name="rolledBack">Evidence names (<c>classifier@{version}</c>, <c>mini</c>) whose last step was an automatic rollback.</param>
    public static DistillationReport Apply(DistillationReport report, CatalogTask task, IReadOnlyList<CandidateEvidence> evidence, double targetHalfWidth, IReadOnlySet<string>? rolledBack = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(evidence);
        var bar = task.QualityBar;
        var candidates = evidence.Where(e => e.Task == task.Name)
            .Select(e => ToReport(e, task, report, targetHalfWidth) with { RolledBack = rolledBack?.Contains(e.Candidate) == true })
            .ToList();
        if (candidates.Count == 0)
        {
            return report with { QualityBar = bar };
        }

        report = report with
        {
            QualityBar = bar,
            Candidates = candidates,
            EvaluationSpendUsd = candidates.Sum(c => c.EvaluationSpendUsd),
        };

        var reasons = new List<string>(report.Reasons);
        var steps = report.Steps.ToList();
        var verdict = report.Verdict;
        var prompted = candidates.Where(c => c.Prompt == "large").ToList();
        var tuned = candidates.Where(c => c.Prompt == "small").ToList();
        var servedByLarge = report.Route == RouteTarget.Large;

        var switchTo = servedByLarge ? Best(prompted) : null;
        var promote = servedByLarge && switchTo is null ? Best(tuned) : null;
        if (switchTo is not null)
        {
            verdict = DistillationVerdict.SwitchPrompt;
            var finding = $"switch to {Name(switchTo)}: {Agreement(switchTo)} agreement, at or above the {Whole(bar)} bar, {Cost(switchTo.CostPerCall)}/call vs {Cost(report.LargeCostPerCall)}/call on large; saves {ReasonFormat.Usd(switchTo.ProjectedSavingPerDay!.Value)}/day, no training needed";
            reasons = [finding];
            Replace(steps, StepName.CheaperModel, StepStatus.Act, finding, switchTo.ProjectedSavingPerDay);
        }
        else if (promote is not null)
        {
            verdict = DistillationVerdict.Promote;
            var finding = $"promote {Name(promote)}: the tuned model agrees {Agreement(promote)}, at or above the {Whole(bar)} bar, {Cost(promote.CostPerCall)}/call vs {Cost(report.LargeCostPerCall)}/call on large; saves {ReasonFormat.Usd(promote.ProjectedSavingPerDay!.Value)}/day";
            reasons = [finding];
            Replace(steps, StepName.FineTune, StepStatus.Act, finding, promote.ProjectedSavingPerDay);
            CheaperModelFinding(steps, prompted, bar, targetHalfWidth, report);
        }
        else
        {
            var waiting = CheaperModelFinding(steps, prompted, bar, targetHalfWidth, report);
            if (verdict == DistillationVerdict.DistillNow)
            {
                foreach (var untrained in prompted.Where(c => c.Samples > 0 && !c.MeetsBar))
                {
                    var gap = $"untrained {Name(untrained)} agrees {Agreement(untrained)}: training must close the gap to the {Whole(bar)} bar";
                    reasons.Add(gap);
                    Append(steps, StepName.FineTune, gap);
                }
            }
            else if (verdict is DistillationVerdict.NotYet or DistillationVerdict.NotEligible && servedByLarge && waiting.Count > 0)
            {
                // A cheaper path is still possible; what is missing is evidence, in samples.
                verdict = DistillationVerdict.NotYet;
                reasons.AddRange(waiting.Select(c => MissingSamples(c, targetHalfWidth)));
            }
            else if (verdict == DistillationVerdict.Distilled)
            {
                foreach (var live in candidates.Where(c => c.Prompt == "live" && c.Samples > 0))
                {
                    var line = $"the small route agrees {Agreement(live)} with the large shadow slice";
                    // Warn only on evidence: a handful of samples puts any lower bound under the bar.
                    if (live.AgreementLower < bar && (live.AgreementUpper < bar || live.MoreSamplesNeeded == 0))
                    {
                        line += $"; warning: the lower bound is under the {Whole(bar)} bar, the small route may have drifted (route back to large or retrain)";
                    }
                    else if (live.AgreementLower < bar)
                    {
                        line += string.Create(CultureInfo.InvariantCulture, $"; {live.MoreSamplesNeeded:#,0} more shadow samples tell whether it holds the {Whole(bar)} bar");
                    }

                    reasons.Add(line);
                    Append(steps, StepName.FineTune, line);
                }
            }
        }

        report = report with { Verdict = verdict, Reasons = reasons, Steps = steps };
        return report with { NextStep = OrderOfOperations.Next(report, steps) };
    }

    private static CandidateReport ToReport(CandidateEvidence e, CatalogTask task, DistillationReport report, double targetHalfWidth)
    {
        var configured = task.Candidates.FirstOrDefault(c => c.Name == CatalogCandidate.Unversioned(e.Candidate));
        var prompt = CatalogCandidate.IsLiveName(e.Candidate) ? "live" : configured?.Prompt.ToWire() ?? "large";
        var hostingPerDay = (configured?.Model.Prices.HostingPerHour ?? 0) * 24m;
        decimal? saving = prompt != "live" && e.CostPerCall is { } c && report.LargeCostPerCall is { } cL
            ? (report.CallsPerDay * (cL - c)) - hostingPerDay
            : null;
        return new CandidateReport
        {
            Candidate = e.Candidate,
            Model = e.Model,
            Prompt = prompt,
            ShadowCalls = e.Calls,
            Samples = e.Samples,
            Agreements = e.Agreements,
            AgreementRate = e.Samples > 0 ? e.Agreement.Rate : null,
            AgreementLower = e.Agreement.Lower,
            AgreementUpper = e.Agreement.Upper,
            InvalidRate = e.InvalidRate,
            MeanScore = e.MeanScore,
            Failures = e.Failures,
            CostPerCall = e.CostPerCall,
            LatencyP50Ms = e.LatencyP50Ms,
            LatencyP95Ms = e.LatencyP95Ms,
            ProjectedSavingPerDay = saving,
            EvaluationSpendUsd = e.CostUsd + e.JudgeCostUsd,
            JudgeCalls = e.JudgeCalls,
            MeetsBar = e.Samples > 0 && e.Agreement.Lower >= task.QualityBar,
            MoreSamplesNeeded = e.Agreement.MoreSamplesFor(targetHalfWidth),
        };
    }

    /// <summary>The candidate meeting the bar that saves the most per day; null when none does.</summary>
    private static CandidateReport? Best(IEnumerable<CandidateReport> candidates) =>
        candidates.Where(c => c.MeetsBar && c.ProjectedSavingPerDay > 0 && !c.RolledBack).OrderByDescending(c => c.ProjectedSavingPerDay).FirstOrDefault();

    /// <summary>Sets the cheaper-model step from the prompted candidates; returns those still short of evidence (could yet reach the bar, and would save).</summary>
    private static List<CandidateReport> CheaperModelFinding(List<OperationStep> steps, List<CandidateReport> prompted, double bar, double targetHalfWidth, DistillationReport report)
    {
        var waiting = prompted.Where(c => !c.MeetsBar && c.AgreementUpper >= bar && c.ProjectedSavingPerDay is null or > 0).ToList();
        if (waiting.Count > 0)
        {
            Replace(steps, StepName.CheaperModel, StepStatus.Wait, string.Join("; ", waiting.Select(c => MissingSamples(c, targetHalfWidth))), null);
        }
        else if (prompted.Count > 0)
        {
            var below = prompted.Select(c => c.ProjectedSavingPerDay is <= 0
                ? $"{Name(c)} is not cheaper ({Cost(c.CostPerCall)}/call vs {Cost(report.LargeCostPerCall)}/call)"
                : $"{Name(c)} agrees {Agreement(c)}, under the {Whole(bar)} bar");
            Replace(steps, StepName.CheaperModel, StepStatus.Skip, string.Join("; ", below), null);
        }

        return waiting;
    }

    private static string MissingSamples(CandidateReport c, double targetHalfWidth)
    {
        var measured = c.Samples > 0 ? $" (agrees {Agreement(c)} so far)" : string.Empty;
        var more = Math.Max(1, c.MoreSamplesNeeded);
        return $"{Name(c)} needs {ReasonFormat.Count(more)} more shadow samples for a ±{Whole(targetHalfWidth)} interval{measured}";
    }

    private static void Replace(List<OperationStep> steps, StepName name, StepStatus status, string finding, decimal? saving)
    {
        var step = new OperationStep { Step = name, Status = status, Finding = finding, SavingPerDay = saving };
        var index = steps.FindIndex(s => s.Step == name);
        if (index >= 0)
        {
            steps[index] = step;
        }
        else
        {
            steps.Add(step);
        }
    }

    private static void Append(List<OperationStep> steps, StepName name, string finding)
    {
        var index = steps.FindIndex(s => s.Step == name);
        if (index >= 0)
        {
            steps[index] = steps[index] with { Finding = steps[index].Finding + "; " + finding };
        }
    }

    private static string Name(CandidateReport c) => $"{c.Candidate} ({c.Model})";

    /// <summary>"81.0% [77.2%, 84.9%] over 400 samples".</summary>
    internal static string Agreement(CandidateReport c) =>
        string.Create(CultureInfo.InvariantCulture, $"{Pct(c.AgreementRate ?? 0)} [{Pct(c.AgreementLower)}, {Pct(c.AgreementUpper)}] over {c.Samples:#,0} samples");

    private static string Pct(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Whole(double rate) => ReasonFormat.WholePercent((decimal)rate);

    private static string Cost(decimal? perCall) => perCall is { } c ? ReasonFormat.UsdPerCall(c) : "unknown";
}
