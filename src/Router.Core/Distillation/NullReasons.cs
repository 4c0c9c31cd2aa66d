using Router.Core.Catalog;
using Router.Core.Routing;

namespace Router.Core.Distillation;

/// <summary>
/// The one place that decides why each null figure of a report is null. Keys are the figures' JSON
/// names (camelCase); a figure with a value has no entry, a null figure always has one.
/// </summary>
public static class NullReasons
{
    public static IReadOnlyDictionary<string, NullReason> For(DistillationReport report, bool hasSmallModel)
    {
        ArgumentNullException.ThrowIfNull(report);
        var why = new SortedDictionary<string, NullReason>(StringComparer.Ordinal);

        // The small side cannot be priced at all: say why once, for every figure that needs it.
        NullReason? noSmallSide = hasSmallModel ? null : report.Kind == TaskKind.Knowledge ? NullReason.KnowledgeTask : NullReason.NoSmallModel;

        Add(why, "largeCostPerCall", report.LargeCostPerCall, NullReason.NoData);
        Add(why, "largeCostBasis", report.LargeCostBasis, NullReason.NoData);
        Add(why, "promptTaxTokensPerCall", report.PromptTaxTokensPerCall, NullReason.NoData);
        Add(why, "callerInputTokensPerCall", report.CallerInputTokensPerCall, NullReason.NoData);
        Add(why, "outputTokensPerCall", report.OutputTokensPerCall, NullReason.NoData);
        Add(why, "prompt", report.Prompt, NullReason.NoData);

        Add(why, "smallCostPerCall", report.SmallCostPerCall, noSmallSide ?? NullReason.NoData);
        Add(why, "trainingCost", report.TrainingCost, noSmallSide ?? NullReason.NoData);
        Add(why, "fixedCost", report.FixedCost, noSmallSide ?? NullReason.NoData);
        Add(why, "dailySaving", report.DailySaving, noSmallSide ?? NullReason.NoData);
        Add(why, "paybackDays", report.PaybackDays, noSmallSide ?? Payback(report));
        Add(why, "breakEvenCallsPerDay", report.BreakEvenCallsPerDay, noSmallSide ?? BreakEven(report));

        var notDistilled = report.Route == RouteTarget.Small ? NullReason.NoData : NullReason.NotDistilled;
        Add(why, "measuredSmallCostPerCall", report.MeasuredSmallCostPerCall, notDistilled);
        Add(why, "measuredSavingsPerDay", report.MeasuredSavingsPerDay, notDistilled);
        Add(why, "cascadeRate", report.CascadeRate, notDistilled);
        return why;
    }

    /// <summary>P is null when G is unknown (no data) or G &lt;= 0: not cheaper per call at all, or hosting eats the saving at this volume.</summary>
    private static NullReason Payback(DistillationReport report) =>
        report.LargeCostPerCall is not { } cL || report.SmallCostPerCall is not { } cS || report.DailySaving is null
            ? NullReason.NoData
            : cL <= cS ? NullReason.NotCheaper : NullReason.LosesAtThisVolume;

    /// <summary>V* is null when c_L &lt;= c_S (no volume helps) or R &lt;= 0 (retired: no life to pay back in).</summary>
    private static NullReason BreakEven(DistillationReport report) =>
        report.LargeCostPerCall is not { } cL || report.SmallCostPerCall is not { } cS || report.FixedCost is null
            ? NullReason.NoData
            : cL <= cS ? NullReason.NotCheaper : NullReason.RetiresFirst;

    private static void Add(SortedDictionary<string, NullReason> why, string name, object? value, NullReason reason)
    {
        if (value is null)
        {
            why[name] = reason;
        }
    }
}
