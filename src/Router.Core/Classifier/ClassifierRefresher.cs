using Azure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Catalog;

namespace Router.Core.Classifier;

/// <summary>
/// Keeps every local classifier on the version its pointer names: at start and then every
/// <see cref="LocalClassifierOptions.RefreshInterval"/>, reads <c>{model}/current.json</c> and, when it
/// names another version, downloads and loads it and swaps it in. A version that fails to load (a
/// corrupt blob) is logged once, reported by health, and not retried until the pointer changes; the
/// previous version keeps serving.
/// </summary>
public sealed partial class ClassifierRefresher(
    TaskCatalog catalog,
    ClassifierArtefactStore store,
    LocalClassifiers classifiers,
    IOptions<LocalClassifierOptions> options,
    TimeProvider time,
    ILogger<ClassifierRefresher> logger) : BackgroundService
{
    private readonly CatalogModel[] _models = catalog.Models.Where(m => m.IsLocalClassifier).ToArray();

    /// <summary>One pass over every local classifier; also called right after training on this instance.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        foreach (var model in _models)
        {
            await RefreshAsync(model.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RefreshAsync(string model, CancellationToken cancellationToken)
    {
        string? version = null;
        try
        {
            version = await store.GetCurrentAsync(model, cancellationToken).ConfigureAwait(false);
            var state = classifiers.State(model);
            if (version is null || version == state.Loaded?.Version || version == state.FailedVersion)
            {
                return;
            }

            LoadedClassifier loaded;
            await using (var stream = await store.OpenModelAsync(model, version, cancellationToken).ConfigureAwait(false))
            {
                loaded = LoadedClassifier.Load(stream, version);
            }

            var info = await store.GetInfoAsync(model, version, cancellationToken).ConfigureAwait(false);
            classifiers.Swap(model, loaded, info);
            LogSwapped(logger, model, version);
        }
        catch (Exception ex) when (version is not null && ex is InvalidDataException or RequestFailedException)
        {
            var error = ex.Message.Split('\n')[0];
            classifiers.LoadFailed(model, version, error);
            LogLoadFailed(logger, model, version, classifiers.Current(model)?.Version ?? "none", error);
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException)
        {
            LogPointerUnreadable(logger, model, ex.Message.Split('\n')[0]);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_models.Length == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.RefreshInterval, time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Local classifier {Model}: now serving version {Version}")]
    private static partial void LogSwapped(ILogger logger, string model, string version);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Local classifier {Model}: version {Version} failed to load, still serving {Serving}: {Error}")]
    private static partial void LogLoadFailed(ILogger logger, string model, string version, string serving, string error);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Local classifier {Model}: could not read its current version from Blob Storage: {Error}")]
    private static partial void LogPointerUnreadable(ILogger logger, string model, string error);
}
