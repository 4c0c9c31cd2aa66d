using Azure;
using Azure.Data.Tables;
using Router.Core.Catalog;
using Router.Core.Ledger;

namespace Router.Core.Health;

/// <summary>
/// Checks what the router depends on: Table Storage, each model endpoint (reachable means it
/// answers HTTP at all; a 401 or 404 from the base address still proves the network path),
/// and the ledger backlog. Storage down only degrades: calls still succeed and records wait.
/// </summary>
public sealed class HealthChecker(TableServiceClient tables, TaskCatalog catalog, ICallLedger ledger, IHttpClientFactory httpClients, TimeProvider time, Classifier.LocalClassifiers classifiers)
{
    public const string HttpClientName = "router-health";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>A backlog older than this means storage is not keeping up.</summary>
    private static readonly TimeSpan BacklogAgeLimit = TimeSpan.FromSeconds(30);

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var storageTask = CheckStorageAsync(cancellationToken);
        var modelTasks = catalog.Models.Select(m => CheckModelAsync(m, cancellationToken)).ToArray();
        var storage = await storageTask;
        var models = await Task.WhenAll(modelTasks);
        var oldest = ledger.OldestPendingAge;
        var ledgerHealth = new LedgerHealth(ledger.QueueDepth, oldest?.TotalSeconds, ledger.Dropped, ledger.Rejected, ledger.Written, ledger.StorageRequests, ledger.InstanceId);

        var status = HealthStatus.Healthy;
        if (models.All(m => m.Status != HealthStatus.Healthy))
        {
            status = HealthStatus.Unhealthy;
        }
        else if (storage.Status != HealthStatus.Healthy || models.Any(m => m.Status != HealthStatus.Healthy) || oldest > BacklogAgeLimit || ledger.Dropped > 0 || ledger.Rejected > 0)
        {
            status = HealthStatus.Degraded;
        }

        return new HealthReport(status, storage, models, ledgerHealth);
    }

    private async Task<DependencyHealth> CheckStorageAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token).AsPages().WithCancellation(timeout.Token))
            {
                break;
            }

            return new DependencyHealth("table-storage", HealthStatus.Healthy, time.GetElapsedTime(started).TotalMilliseconds, null);
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or HttpRequestException or AggregateException)
        {
            var error = ex is OperationCanceledException ? "no answer within 3 s" : ex.Message.Split('\n')[0];
            return new DependencyHealth("table-storage", HealthStatus.Unhealthy, time.GetElapsedTime(started).TotalMilliseconds, error);
        }
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

        return new DependencyHealth(model.Name, HealthStatus.Healthy, 0, null, serving, serving is null ? "no trained version yet; calls cascade to the large model" : null);
    }

    private async Task<DependencyHealth> CheckModelAsync(CatalogModel model, CancellationToken cancellationToken)
    {
        if (model.IsLocalClassifier)
        {
            return CheckLocalClassifier(model);
        }

        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.GetAsync(model.Endpoint, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return new DependencyHealth(model.Name, HealthStatus.Healthy, time.GetElapsedTime(started).TotalMilliseconds, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            var error = ex is OperationCanceledException ? "no answer within 3 s" : ex.Message;
            return new DependencyHealth(model.Name, HealthStatus.Unhealthy, time.GetElapsedTime(started).TotalMilliseconds, error);
        }
    }
}
