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
        }

        return text.ToString();
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
