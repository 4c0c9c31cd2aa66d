using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Background;
using Router.Core.Catalog;

namespace Router.Core.Classifier;

/// <summary>
/// Keeps every local classifier on the version its pointer names: at start and then every
/// <see cref="LocalClassifierOptions.RefreshInterval"/>, reads <c>{model}/current.json</c> and, when it
/// names another version, downloads and loads it and swaps it in. A version that fails to load (a
/// corrupt blob) is logged once, reported by health, and not retried until the pointer changes; the
/// previous version keeps serving. A supervised loop (<see cref="LoopName"/> in /api/health): a pointer
/// that cannot be read (storage down) marks the loop failing until a pass goes through.
/// </summary>
public sealed partial class ClassifierRefresher(
    TaskCatalog catalog,
    ClassifierArtefactStore store,
    LocalClassifiers classifiers,
    IOptions<LocalClassifierOptions> options,
    TimeProvider time,
    LoopRegistry loops,
    ILogger<ClassifierRefresher> logger) : SupervisedLoop(LoopName, loops, time)
{
    /// <summary>The loop's name in /api/health.</summary>
    public const string LoopName = "classifier-refresh";

    private readonly CatalogModel[] _models = catalog.Models.Where(m => m.IsLocalClassifier).ToArray();

    /// <summary>One pass over every local classifier; a model whose pointer cannot be read does not stop the others (their failures are thrown together at the end).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        List<Exception>? failures = null;
        foreach (var model in _models)
        {
            try
            {
                await RefreshAsync(model.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!TransientFailure.IsShutdown(ex, cancellationToken))
            {
                (failures ??= []).Add(ex);
            }
        }

        if (failures is not null)
        {
            throw failures.Count == 1 ? failures[0] : new AggregateException(failures);
        }
    }

    /// <summary>Moves <paramref name="model"/> to the version its pointer names; throws when the pointer cannot be read.</summary>
    public async Task RefreshAsync(string model, CancellationToken cancellationToken)
    {
        var version = await store.GetCurrentAsync(model, cancellationToken).ConfigureAwait(false);
        var state = classifiers.State(model);
        if (version is null || version == state.Loaded?.Version || version == state.FailedVersion)
        {
            return;
        }

        if (await LoadAsync(model, version, cancellationToken).ConfigureAwait(false) is { } loaded)
        {
            classifiers.Swap(model, loaded.Classifier, loaded.Info);
            LogSwapped(logger, model, version);
        }
    }

    /// <summary>
    /// Keeps <paramref name="version"/> loaded for a promoted route pinned to it (from memory when this instance
    /// holds it, else from Blob Storage); false when it cannot be loaded (no such version, or a corrupt one).
    /// </summary>
    public async Task<bool> PinAsync(string model, string version, CancellationToken cancellationToken)
    {
        var state = classifiers.State(model);
        if (state.Pinned?.Version == version)
        {
            return true;
        }

        if (state.Loaded?.Version == version)
        {
            classifiers.Pin(model, state.Loaded, state.Info);
            return true;
        }

        if (state.FailedVersion == version)
        {
            return false; // missing or corrupt (logged, in health): not downloaded again on every refresh
        }

        if (await LoadAsync(model, version, cancellationToken).ConfigureAwait(false) is not { } loaded)
        {
            return false;
        }

        classifiers.Pin(model, loaded.Classifier, loaded.Info);
        LogPinned(logger, model, version);
        return true;
    }

    /// <summary>
    /// Downloads and loads one stored version; null (logged, and reported by health) when its blob is
    /// missing or is not a model: the version serving now keeps serving.
    /// </summary>
    public async Task<(LoadedClassifier Classifier, ClassifierVersionInfo? Info)?> LoadAsync(string model, string version, CancellationToken cancellationToken)
    {
        try
        {
            LoadedClassifier loaded;
            await using (var stream = await store.OpenModelAsync(model, version, cancellationToken).ConfigureAwait(false))
            {
                loaded = LoadedClassifier.Load(stream, version);
            }

            var info = await store.GetInfoAsync(model, version, cancellationToken).ConfigureAwait(false);
            return (loaded, info);
        }
        catch (Exception ex) when (ex is InvalidDataException || ex is RequestFailedException { Status: 404 })
        {
            var error = ex.Message.Split('\n')[0];
            classifiers.LoadFailed(model, version, error);
            LogLoadFailed(logger, model, version, classifiers.Current(model)?.Version ?? "none", error);
            return null;
        }
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (_models.Length == 0)
        {
            return;
        }

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
                // Storage down: the versions loaded last keep serving; health shows the loop failing (logged once per outage).
                Loop.Failed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 6013, Level = LogLevel.Information, Message = "Local classifier {Model}: now serving version {Version}")]
    private static partial void LogSwapped(ILogger logger, string model, string version);

    [LoggerMessage(EventId = 6015, Level = LogLevel.Information, Message = "Local classifier {Model}: version {Version} loaded for the promoted route pinned to it")]
    private static partial void LogPinned(ILogger logger, string model, string version);

    [LoggerMessage(EventId = 6014, Level = LogLevel.Error, Message = "Local classifier {Model}: version {Version} failed to load, still serving {Serving}: {Error}")]
    private static partial void LogLoadFailed(ILogger logger, string model, string version, string serving, string error);
}
