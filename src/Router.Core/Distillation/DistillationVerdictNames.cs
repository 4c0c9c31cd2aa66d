namespace Router.Core.Distillation;

/// <summary>The wire name of a verdict for places that do not go through System.Text.Json (markdown, table rows).</summary>
public static class DistillationVerdictNames
{
    public static string ToWireName(this DistillationVerdict verdict) => verdict switch
    {
        DistillationVerdict.DistillNow => "distill-now",
        DistillationVerdict.NotYet => "not-yet",
        DistillationVerdict.NotEligible => "not-eligible",
        DistillationVerdict.Distilled => "distilled",
        DistillationVerdict.SwitchPrompt => "switch-prompt",
        DistillationVerdict.Promote => "promote",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Unknown verdict."),
    };
}
