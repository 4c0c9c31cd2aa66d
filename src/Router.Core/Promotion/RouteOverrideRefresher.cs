using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Background;
using Router.Core.Catalog;

namespace Router.Core.Promotion;

/// <summary>
/// Every <see cref="RouteOverrideOptions.RefreshInterval"/> on every instance: reads the promoted routes
/// (so a promotion made anywhere is applied here without a restart) and judges each by the
/// <see cref="RollbackRule"/>, from the live shadow evidence of the promoted version since its promotion and
/// the route's cascades over the last hour. A rollback removes exactly the promotion judged (another
/// instance may have acted first; then nothing happens twice). A rolled-back candidate stays off until a
/// person promotes it again: nothing here ever promotes.
/// </summary>
public sealed partial class RouteOverrideRefresher(
    TaskCatalog catalog,
    RouteOverrideStore store,
    RouteOverrides overrides,
    RoutePromotion promotion,
    PromotedRouteReader counts,
    CascadeRateReader cascades,
    Classifier.ClassifierRefresher versions,
    Classifier.LocalClassifiers classifiers,
    IOptions<RouteOverrideOptions> options,
    TimeProvider time,
    LoopRegistry loops,
    ILogger<RouteOverrideRefresher> logger) : SupervisedLoop(LoopName, loops, time)
{
    /// <summary>The loop's name in /api/health.</summary>
    public const string LoopName = "route-overrides";

    /// <summary>One pass: read the promoted routes, apply them, roll back those the rule condemns.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var generation = overrides.Generation;
        var current = await store.ReadCurrentAsync(cancellationToken).ConfigureAwait(false);

        // A promoted local classifier serves the version it was promoted at: load it before the route applies.
        foreach (var pinned in current.Where(o => o.Version is not null && catalog.Models.Any(m => m.IsLocalClassifier && m.Name == o.Model)))
        {
            await versions.PinAsync(pinned.Model, pinned.Version!, cancellationToken).ConfigureAwait(false);
        }

        if (overrides.Replace(current, generation))
        {
            foreach (var model in catalog.Models.Where(m => m.IsLocalClassifier && !current.Any(o => o.Model == m.Name)))
            {
                classifiers.Unpin(model.Name);
            }
        }

        foreach (var promoted in current)
        {
            if (!catalog.TryResolve(promoted.Task, out var task) || RouteOverrides.Candidate(task, promoted) is null)
            {
                LogOrphan(logger, promoted.Task, promoted.Candidate);
                continue;
            }

            // Live agreement since the promotion; cascades over the last hour (from the promotion on while it is younger).
            var promotionHour = PromotedRouteReader.HourOf(promoted.PromotedAt);
            var sincePromotion = await counts.ReadAsync(task.Name, promoted.Model, promoted.Version, promotionHour, cancellationToken).ConfigureAwait(false);
            var live = PromotedRouteReader.LiveSince(sincePromotion, promoted.Baseline, task.QualityBar);
            var lastHour = PromotedRouteReader.HourOf(Time.GetUtcNow().AddHours(-1));
            var (calls, cascaded) = lastHour <= promotionHour
                ? (sincePromotion.RouteCalls - promoted.Baseline.RouteCalls, sincePromotion.RouteCascades - promoted.Baseline.RouteCascades)
                : await cascades.ReadAsync(task.Name, promoted.Model, lastHour, cancellationToken).ConfigureAwait(false);
            if (RollbackRule.Why(live, calls, cascaded, task.QualityBar, options.Value) is { } why)
            {
                await promotion.RollBackAsync(promoted, why, live, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, Time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
                Loop.Succeeded();
            }
            catch (Exception ex) when (!TransientFailure.IsShutdown(ex, stoppingToken))
            {
                // Storage down: the routes applied last stay applied; health shows the loop failing.
                Loop.Failed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 6023, Level = LogLevel.Warning, Message = "Task {Task}: the promoted candidate {Candidate} is not in the catalog (any more); the catalog route serves")]
    private static partial void LogOrphan(ILogger logger, string task, string candidate);
}
