using Azure.Data.Tables;
using Router.Core.Background;
using Router.Core.Catalog;
using Router.Core.Ledger;

namespace Router.Core.Health;

/// <summary>
/// Checks what the router depends on: Table Storage, each model endpoint (reachable means it
/// answers HTTP at all; a 401 or 404 from the base address still proves the network path),
/// the ledger backlog and the background loops. Every probe runs in parallel within its own
/// deadline (<see cref="ProbeTimeout"/>, see <see cref="BoundedProbe"/>), so a hung dependency
/// reports unhealthy and the answer comes within that deadline; the backlog and the loops are
/// read from memory. Storage down only degrades: calls still succeed and records wait.
/// </summary>
public sealed class HealthChecker(TableServiceClient tables, TaskCatalog catalog, ILedgerQueueStatus ledger, LoopRegistry loops, IHttpClientFactory httpClients, TimeProvider time, Classifier.LocalClassifiers classifiers)
{
    public const string HttpClientName = "router-health";

    /// <summary>Each probe's deadline, and so (they run in parallel) about the longest /api/health takes.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var storageTask = BoundedProbe.RunAsync("table-storage", CheckStorageAsync, ProbeTimeout, time, cancellationToken);
        var modelTasks = catalog.Models.Select(m => m.IsLocalClassifier
            ? Task.FromResult(CheckLocalClassifier(m))
            : BoundedProbe.RunAsync(m.Name, ct => CheckModelAsync(m, ct), ProbeTimeout, time, cancellationToken)).ToArray();
        var storage = await storageTask;
        var models = await Task.WhenAll(modelTasks);
        return HealthComposition.Compose(storage, models, ledger, loops.States);
    }

    private async Task<DependencyHealth> CheckStorageAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: cancellationToken).AsPages().WithCancellation(cancellationToken))
        {
            break;
        }

        return new DependencyHealth("table-storage", HealthStatus.Healthy, time.GetElapsedTime(started).TotalMilliseconds, null);
    }

    /// <summary>
    /// A local classifier is healthy while it serves a version (or has none yet: its task cascades to large);
    /// degraded when a newer version failed to load and the previous one keeps serving.
    /// </summary>
    private DependencyHealth CheckLocalClassifier(CatalogModel model)
    {
        var state = classifiers.State(model.Name);
        var serving = state.Loaded?.Version;
        if (state.LoadError is { } error)
        {
            return new DependencyHealth(model.Name, HealthStatus.Degraded, 0, $"version {state.FailedVersion} failed to load ({error}); serving {serving ?? "no version"}", serving);
        }

        var detail = serving is null
            ? "no trained version yet; calls cascade to the large model"
            : state.Pinned is { } pinned && pinned.Version != serving ? $"the promoted route is pinned to version {pinned.Version}; {serving} is the candidate" : null;
        return new DependencyHealth(model.Name, HealthStatus.Healthy, 0, null, serving, detail);
    }

    private async Task<DependencyHealth> CheckModelAsync(CatalogModel model, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var http = httpClients.CreateClient(HttpClientName);
        using var response = await http.GetAsync(model.Endpoint, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return new DependencyHealth(model.Name, HealthStatus.Healthy, time.GetElapsedTime(started).TotalMilliseconds, null);
    }
}
