using System.Globalization;
using Router.Core.Background;
using Router.Core.Ledger;

namespace Router.Core.Health;

/// <summary>
/// The one rule for the overall health status, from what the probes found, the ledger's backlog
/// and the background loops: unhealthy when no model answers (no call can succeed); degraded when
/// calls still succeed but something is wrong (storage, a model, a backlog, lost records, a failing
/// loop), with one reason per finding; healthy otherwise.
/// </summary>
public static class HealthComposition
{
    /// <summary>A backlog older than this means storage is not keeping up.</summary>
    public static readonly TimeSpan BacklogAgeLimit = TimeSpan.FromSeconds(30);

    public static HealthReport Compose(DependencyHealth storage, IReadOnlyList<DependencyHealth> models, ILedgerQueueStatus ledger, IReadOnlyList<LoopState> loops)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(loops);
        var oldest = ledger.OldestPendingAge;
        var ledgerHealth = new LedgerHealth(ledger.QueueDepth, oldest?.TotalSeconds, ledger.Dropped, ledger.Rejected, ledger.Written, ledger.StorageRequests, ledger.InstanceId, ledger.NotJournaled, ledger.Replayed);
        var failingLoops = loops.Where(l => l.Status == LoopState.Failing).Select(l => l.Name).ToArray();

        var reasons = new List<string>();
        if (storage.Status != HealthStatus.Healthy)
        {
            reasons.Add($"{storage.Name}: {storage.Error ?? storage.Status}");
        }

        foreach (var model in models.Where(m => m.Status != HealthStatus.Healthy))
        {
            reasons.Add($"model {model.Name}: {model.Error ?? model.Status}");
        }

        if (oldest > BacklogAgeLimit)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"ledger: {ledgerHealth.QueueDepth} records waiting, the oldest for {oldest.Value.TotalSeconds:0} s"));
        }

        if (ledgerHealth.Dropped > 0)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"ledger: {ledgerHealth.Dropped} records lost (queue full)"));
        }

        if (ledgerHealth.NotJournaled > 0)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"ledger: {ledgerHealth.NotJournaled} records not journaled (journal full or disk failing): a crash would lose them"));
        }

        if (ledgerHealth.Rejected > 0)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"ledger: {ledgerHealth.Rejected} records refused by storage"));
        }

        foreach (var loop in loops.Where(l => l.Status == LoopState.Failing))
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"background loop {loop.Name} failing since {loop.FailingSince:O} ({loop.ConsecutiveFailures} failures, last {loop.LastError})"));
        }

        var status = models.All(m => m.Status != HealthStatus.Healthy) ? HealthStatus.Unhealthy
            : reasons.Count > 0 ? HealthStatus.Degraded
            : HealthStatus.Healthy;
        return new HealthReport(status, storage, models, ledgerHealth, loops, failingLoops, reasons);
    }
}
