using Router.Core.Catalog;

namespace Router.Core.Distillation.Reporting;

/// <summary>
/// Catalog facts + rollup figures + captured examples -> <see cref="DistillationInput"/>. The candidate
/// small model is the task's Small model, else the configured default; the small prompt costs
/// CatalogTask.SmallSystemTokens; the large prompt tax (used when there are no large calls to measure)
/// is LargeSystemTokens + ExamplesTokens.
/// </summary>
public static class DistillationInputMapper
{
    public static DistillationInput Map(CatalogTask task, CatalogModel smallModel, TaskRollupSummary rollups, long capturedExamples, DistillationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(smallModel);
        ArgumentNullException.ThrowIfNull(rollups);
        return new DistillationInput
        {
            TaskName = task.Name,
            Kind = task.Kind,
            Route = task.Route,
            PromptVersion = task.PromptVersion,
            PromptVersionSince = rollups.PromptVersionSince,
            CapturedExamples = capturedExamples,
            SmallSystemPromptTokens = task.SmallSystemTokens,
            LargePromptTaxTokens = (long)task.LargeSystemTokens + task.ExamplesTokens,
            ExampleCount = task.Examples.Count,
            LargePrices = ToPrices(task.LargeModel.Prices),
            SmallPrices = ToPrices(smallModel.Prices),
            Usage = rollups.Usage,
            Settings = settings,
        };
    }

    public static DistillationModelPrices ToPrices(ModelPrices prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        return new DistillationModelPrices
        {
            InputPerMillion = prices.InputPerMillion,
            CachedInputPerMillion = prices.CachedInputPerMillion,
            OutputPerMillion = prices.OutputPerMillion,
            HostingPerHour = prices.HostingPerHour,
            TrainingPerMillion = prices.TrainingPerMillion,
            RetiresOn = prices.RetiresOn,
        };
    }

    /// <summary>
    /// A task with no Small section and no default candidate: nothing to price the small side with,
    /// so the verdict is not-eligible with the measured large side shown. A knowledge task still gets
    /// the knowledge reason, which holds whatever is configured.
    /// </summary>
    public static DistillationReport NoSmallModel(CatalogTask task, TaskRollupSummary rollups, long capturedExamples, DistillationSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(rollups);
        ArgumentNullException.ThrowIfNull(settings);
        var usage = rollups.Usage;
        var stableDays = DistillationEconomics.PromptStableDays(rollups.PromptVersionSince, now);
        var measuredLarge = DistillationEconomics.MeasuredCostPerCall(usage.Large);
        var tokens = DistillationEconomics.MeanTokensPerCall(usage.Large);
        var reason = task.Kind == TaskKind.Knowledge
            ? DistillationAnalyzer.KnowledgeReason
            : $"no small deployment configured: add Router:Tasks:{task.Name}:Small or set Router:Distillation:DefaultSmallModel";
        var callsPerDay = DistillationEconomics.CallsPerDay(usage.Large.Calls + usage.Small.Calls, usage.Days);
        var spend = usage.Large.CostUsd + usage.Small.CostUsd;
        var report = new DistillationReport
        {
            Task = task.Name,
            Kind = task.Kind,
            Route = task.Route,
            PromptVersion = task.PromptVersion,
            Verdict = DistillationVerdict.NotEligible,
            Reasons = [reason],
            Readiness = new DistillationReadiness(
                KindAllowsDistillation: task.Kind != TaskKind.Knowledge,
                HasEnoughExamples: capturedExamples >= settings.MinimumExamples,
                PromptIsStable: stableDays >= settings.MinimumPromptStableDays,
                PaysBackWithinUsefulLife: false),
            GeneratedAt = now,
            WindowDays = settings.WindowDays,
            Provisional = usage.Provisional,
            Basis = UsageBasis.Of(usage, settings.WindowDays),
            SpendUsd = spend,
            SpendPerDay = spend / usage.Days,
            Prompt = PromptFigures.Of(usage.Large, callsPerDay, task.Examples.Count, ToPrices(task.LargeModel.Prices)),
            CallsPerDay = callsPerDay,
            LargeCostPerCall = measuredLarge,
            LargeCostBasis = measuredLarge is null ? null : CostBasis.Measured,
            PromptTaxTokensPerCall = tokens?.PromptTax,
            CallerInputTokensPerCall = tokens?.CallerInput,
            OutputTokensPerCall = tokens?.Output,
            UpkeepCost = settings.UpkeepUsdPerRetrain,
            HostingPerDay = 0,
            UsefulLifeDays = settings.RetrainIntervalDays,
            CapturedExamples = capturedExamples,
            PromptStableDays = stableDays,
        };
        return DistillationAnalyzer.Explain(report, hasSmallModel: false, settings);
    }
}
