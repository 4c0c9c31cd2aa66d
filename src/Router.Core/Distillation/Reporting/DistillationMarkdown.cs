using System.Globalization;
using System.Text;

namespace Router.Core.Distillation.Reporting;

/// <summary>The report as a Markdown table, for a person in a terminal (GET /api/distillation?format=md).</summary>
public static class DistillationMarkdown
{
    public static string Render(DistillationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Distillation report {run.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Window: {run.WindowDays} complete days, {run.WindowStart:yyyy-MM-dd} to {run.WindowEnd.AddDays(-1):yyyy-MM-dd}.\n\n");
        text.Append("| task | kind | route | verdict | calls/day | break-even calls/day | saving $/day | payback days | examples | reasons |\n");
        text.Append("|---|---|---|---|--:|--:|--:|--:|--:|---|\n");
        foreach (var r in run.Reports)
        {
            var saving = r.MeasuredSavingsPerDay ?? r.DailySaving;
            text.Append(CultureInfo.InvariantCulture, $"| {r.Task} | {r.Kind.ToString().ToLowerInvariant()} | {r.Route.ToString().ToLowerInvariant()} | **{r.Verdict.ToWireName()}** ");
            text.Append(CultureInfo.InvariantCulture, $"| {Number(r.CallsPerDay, "#,0")} | {Number(r.BreakEvenCallsPerDay, "#,0")} | {Number(saving, "#,0.00")} | {Number(r.PaybackDays, "#,0.#")} | {r.CapturedExamples.ToString("#,0", CultureInfo.InvariantCulture)} ");
            text.Append(CultureInfo.InvariantCulture, $"| {Escape(string.Join("; ", r.Reasons))} |\n");
        }

        if (run.Reports.Count == 0)
        {
            text.Append("| (no tasks) | | | | | | | | | |\n");
        }

        return text.ToString();
    }

    /// <summary>"never" rather than an empty cell: a missing payback or break-even means no volume pays.</summary>
    private static string Number(decimal? value, string format) =>
        value is { } known ? known.ToString(format, CultureInfo.InvariantCulture) : "never";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
