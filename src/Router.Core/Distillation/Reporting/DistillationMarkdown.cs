using System.Globalization;
using System.Text;

namespace Router.Core.Distillation.Reporting;

/// <summary>
/// The report as Markdown, for a person in a terminal (GET /api/distillation?format=md): the run's
/// totals, one table row per task, then per task its next step and order of operations. A null
/// figure prints its reason ("loses-at-this-volume"), never a bare "never" or an empty cell.
/// </summary>
public static class DistillationMarkdown
{
    public static string Render(DistillationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new StringBuilder();
        var totals = run.Totals;
        text.Append(CultureInfo.InvariantCulture, $"# Distillation report {run.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Window: {run.WindowDays} complete days, {run.WindowStart:yyyy-MM-dd} to {run.WindowEnd.AddDays(-1):yyyy-MM-dd}; a task with less history is **provisional** and says what span it rests on.\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Spend {ReasonFormat.Usd(totals.SpendUsd)} ({ReasonFormat.Usd(totals.SpendPerDay)}/day); the next steps below save {ReasonFormat.Usd(totals.SavingPerDay)}/day{(totals.Provisional ? " (provisional)" : string.Empty)}.\n\n");
        text.Append("| task | kind | route | verdict | calls/day | break-even calls/day | saving $/day | payback days | examples | next step |\n");
        text.Append("|---|---|---|---|--:|--:|--:|--:|--:|---|\n");
        foreach (var r in run.Reports)
        {
            var saving = r.MeasuredSavingsPerDay is not null ? Cell(r, r.MeasuredSavingsPerDay, "measuredSavingsPerDay", "#,0.00") : Cell(r, r.DailySaving, "dailySaving", "#,0.00");
            var verdict = r.Provisional ? $"**{r.Verdict.ToWireName()}** (provisional)" : $"**{r.Verdict.ToWireName()}**";
            text.Append(CultureInfo.InvariantCulture, $"| {r.Task} | {r.Kind.ToString().ToLowerInvariant()} | {r.Route.ToString().ToLowerInvariant()} | {verdict} ");
            text.Append(CultureInfo.InvariantCulture, $"| {Number(r.CallsPerDay, "#,0")} | {Cell(r, r.BreakEvenCallsPerDay, "breakEvenCallsPerDay", "#,0")} | {saving} | {Cell(r, r.PaybackDays, "paybackDays", "#,0.#")} | {r.CapturedExamples.ToString("#,0", CultureInfo.InvariantCulture)} ");
            text.Append(CultureInfo.InvariantCulture, $"| {Escape(r.NextStep?.Sentence ?? string.Empty)} |\n");
        }

        if (run.Reports.Count == 0)
        {
            text.Append("| (no tasks) | | | | | | | | | |\n");
        }

        foreach (var r in run.Reports)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## {r.Task}\n\n");
            if (r.Basis is { } basis)
            {
                text.Append(CultureInfo.InvariantCulture, $"{(r.Provisional ? "Provisional, " : string.Empty)}{basis.Summary}.\n\n");
            }

            if (r.NextStep is { } next)
            {
                text.Append(CultureInfo.InvariantCulture, $"**Next step** ({Wire(next.Step)}): {Escape(next.Sentence)}\n\n");
            }

            var number = 1;
            foreach (var step in r.Steps)
            {
                text.Append(CultureInfo.InvariantCulture, $"{number++}. {Wire(step.Step)}, {Wire(step.Status)}: {Escape(step.Finding)}\n");
            }

            if (r.Reasons.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"\nVerdict **{r.Verdict.ToWireName()}**: {Escape(string.Join("; ", r.Reasons))}\n");
            }

            AppendCandidates(text, r);
            AppendLifecycle(text, r);
        }

        return text.ToString();
    }

    /// <summary>The shadow evidence: one row per candidate, with the interval and what a switch would save.</summary>
    private static void AppendCandidates(StringBuilder text, DistillationReport r)
    {
        if (r.Candidates.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"\nShadow evidence (quality bar {ReasonFormat.WholePercent((decimal)r.QualityBar)} agreement, lower bound of the 95% interval); evaluation spend {ReasonFormat.UsdPerCall(r.EvaluationSpendUsd)}, not part of any caller's spend:\n\n");
        text.Append("| candidate | model | prompt | samples | agreement [95% interval] | invalid | $/call | p50 / p95 ms | saving $/day if switched | evaluation $ |\n");
        text.Append("|---|---|---|--:|---|--:|--:|--:|--:|--:|\n");
        foreach (var c in r.Candidates)
        {
            var agreement = c.AgreementRate is { } rate
                ? string.Create(CultureInfo.InvariantCulture, $"{rate * 100:0.0}% [{c.AgreementLower * 100:0.0}%, {c.AgreementUpper * 100:0.0}%]{(c.MeetsBar ? " meets bar" : string.Empty)}")
                : "no samples";
            agreement += c.RolledBack ? " · rolled back" : string.Empty;
            var invalid = c.InvalidRate is { } i ? string.Create(CultureInfo.InvariantCulture, $"{i * 100:0.0}%") : "no-data";
            var cost = c.CostPerCall is { } perCall ? ReasonFormat.UsdPerCall(perCall) : "no-data";
            var latency = c.LatencyP50Ms is { } p50 ? string.Create(CultureInfo.InvariantCulture, $"{p50:0} / {c.LatencyP95Ms ?? p50:0}") : "no-data";
            var saving = c.ProjectedSavingPerDay is { } s ? s.ToString("#,0.00", CultureInfo.InvariantCulture) : c.Prompt == "live" ? "(served route)" : "no-data";
            text.Append(CultureInfo.InvariantCulture, $"| {Escape(c.Candidate)} | {Escape(c.Model)} | {c.Prompt} | {c.Samples:#,0} | {agreement} | {invalid} | {cost} | {latency} | {saving} | {ReasonFormat.UsdPerCall(c.EvaluationSpendUsd)} |\n");
        }
    }

    /// <summary>The loop: the classifier's version, the promotion in force and its savings, the recent steps with why.</summary>
    private static void AppendLifecycle(StringBuilder text, DistillationReport r)
    {
        var life = r.Lifecycle;
        if (life.Classifier is null && life.Promoted is null && life.History.Count == 0)
        {
            return;
        }

        text.Append("\nLifecycle:\n\n");
        if (life.Classifier is { } c)
        {
            var served = c.Version is null
                ? "no trained version yet"
                : string.Create(CultureInfo.InvariantCulture, $"version {c.Version}, trained {c.TrainedAt:yyyy-MM-dd HH:mm} UTC on {c.Samples:#,0} samples, held-out accuracy {(c.HeldOutAccuracy ?? 0) * 100:0.0}%");
            var failed = c.FailedVersion is null ? string.Empty : $"; version {c.FailedVersion} failed to load";
            var pinned = c.PinnedVersion is null || c.PinnedVersion == c.Version
                ? string.Empty
                : string.Create(CultureInfo.InvariantCulture, $"; the promoted route stays pinned to version {c.PinnedVersion} (held-out accuracy {(c.PinnedHeldOutAccuracy ?? 0) * 100:0.0}%) while {c.Version} is measured as a candidate");
            text.Append(CultureInfo.InvariantCulture, $"- local classifier {Escape(c.Model)}: {served}{failed}{pinned}\n");
        }

        if (life.Promoted is { } p)
        {
            var name = p.Version is null ? p.Candidate : p.Candidate + "@" + p.Version;
            text.Append(CultureInfo.InvariantCulture, $"- **promoted**: {Escape(name)} ({Escape(p.Model)}) serves since {p.PromotedAt:yyyy-MM-dd HH:mm} UTC, by {Escape(p.PromotedBy)}{(p.Forced ? ", **forced** under the bar" : string.Empty)}: {Escape(p.Reason)}; at the time {Promotion.RoutePromotion.Describe(p.Evidence)}\n");
            if (life.SincePromotion is { } s)
            {
                var saving = s.SavingUsd is { } usd ? $"saved {ReasonFormat.Usd(usd)} against the large route ({ReasonFormat.UsdPerCall(s.LargeCostPerCall!.Value)}/call)" : "saving unknown (no large cost per call measured)";
                text.Append(CultureInfo.InvariantCulture, $"- since the promotion: {s.Served:#,0} calls served, {s.Cascades:#,0} cascaded to large, cost {ReasonFormat.UsdPerCall(s.CostUsd)}; {saving}\n");
            }
        }
        else
        {
            text.Append("- route: the catalog's\n");
        }

        foreach (var step in life.History)
        {
            var kind = step.Kind == Promotion.RouteOverrideEvent.RolledBack ? "**rolled back**" : step.Kind;
            var name = step.Version is null ? step.Candidate : step.Candidate + "@" + step.Version;
            text.Append(CultureInfo.InvariantCulture, $"- {step.At:yyyy-MM-dd HH:mm} UTC {kind} {Escape(name)} by {Escape(step.By)}{(step.Forced ? " (forced)" : string.Empty)}: {Escape(step.Reason)}\n");
        }
    }

    /// <summary>A figure, or the reason it has none ("not-cheaper").</summary>
    private static string Cell(DistillationReport report, decimal? value, string field, string format) =>
        value is { } known
            ? known.ToString(format, CultureInfo.InvariantCulture)
            : report.NullReasons.TryGetValue(field, out var reason) ? reason.ToWireName() : "no-data";

    private static string Number(decimal value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Wire<T>(T value)
        where T : struct, Enum =>
        System.Text.Json.JsonSerializer.Serialize(value, DistillationJson.Options).Trim('"');

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
