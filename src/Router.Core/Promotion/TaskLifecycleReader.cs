using Router.Core.Catalog;
using Router.Core.Classifier;
using Router.Core.Ledger;
using Router.Core.Routing;

namespace Router.Core.Promotion;

/// <summary>Puts a task's <see cref="TaskLifecycle"/> together for the report: the classifier's state here, the promotion and its history from RouterRouteOverrides, the savings from the rollups.</summary>
public sealed class TaskLifecycleReader(RouteOverrideStore store, RouteOverrides overrides, LocalClassifiers classifiers, RollupStore rollups)
{
    private const int HistorySteps = 10;

    private static readonly string[] SavingColumns = ["Calls", "Escalations", "CostNanoUsd"];

    public async Task<TaskLifecycle> ReadAsync(CatalogTask task, decimal? largeCostPerCall, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var history = await store.ReadHistoryAsync(task.Name, HistorySteps, cancellationToken).ConfigureAwait(false);
        var promoted = overrides.Current(task.Name);
        PromotedSavings? savings = null;
        if (promoted is not null)
        {
            long calls = 0, cascades = 0, costNano = 0;
            await foreach (var row in rollups.QueryAsync(new RollupRead { Task = task.Name, From = PromotedRouteReader.HourOf(promoted.PromotedAt), Columns = SavingColumns }, cancellationToken).ConfigureAwait(false))
            {
                if (row.Route == RouteNames.Small && string.Equals(row.Model, promoted.Model, StringComparison.Ordinal))
                {
                    calls += row.Calls;
                    cascades += row.Escalations;
                    costNano += row.CostNanoUsd;
                }
            }

            calls = Math.Max(0, calls - promoted.Baseline.RouteCalls);
            cascades = Math.Max(0, cascades - promoted.Baseline.RouteCascades);
            var cost = costNano / 1_000_000_000m;
            var served = Math.Max(0, calls - cascades);
            savings = new PromotedSavings(served, cascades, cost, largeCostPerCall, largeCostPerCall is { } cL ? (served * cL) - cost : null);
        }

        return new TaskLifecycle
        {
            RouteSource = promoted is null ? "catalog" : "override",
            Classifier = ClassifierOf(task, promoted),
            Promoted = promoted,
            SincePromotion = savings,
            History = history,
        };
    }

    private ClassifierLifecycle? ClassifierOf(CatalogTask task, RouteOverride? promoted)
    {
        if (ClassifierTrainingService.ModelOf(task) is not { } model)
        {
            return null;
        }

        var state = classifiers.State(model.Name);
        var info = state.Info;
        var pinned = promoted is { Version: { } v } && promoted.Model == model.Name ? v : null;
        var pinnedInfo = pinned is null ? null : pinned == info?.Version ? info : state.PinnedInfo?.Version == pinned ? state.PinnedInfo : null;
        return new ClassifierLifecycle(model.Name, state.Loaded?.Version, info?.TrainedAt, info?.Samples, info?.Metrics.Accuracy, state.FailedVersion)
        {
            PinnedVersion = pinned,
            PinnedHeldOutAccuracy = pinnedInfo?.Metrics.Accuracy,
        };
    }
}
