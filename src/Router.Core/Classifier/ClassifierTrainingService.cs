using Microsoft.Extensions.Logging;
using Router.Core.Catalog;
using Router.Core.Distillation.Samples;

namespace Router.Core.Classifier;

/// <summary>Why a training run did not happen: the HTTP status the caller gets and a message naming the problem.</summary>
public sealed record TrainingRefusal(int Status, string Message);

/// <summary>
/// Trains a task's local classifier now: reads the task's eligible samples (current prompt version;
/// small-format input -> the large model's validated label), trains and measures a version on a
/// seeded held-out split, stores model and metrics in Blob Storage (never overwriting), points the
/// model at the version and swaps it in on this instance; the other instances follow within their
/// refresh interval. One training run at a time per instance (it is CPU-bound).
/// </summary>
public sealed partial class ClassifierTrainingService(
    TaskCatalog catalog,
    SampleStore samples,
    ClassifierArtefactStore store,
    LocalClassifiers classifiers,
    TimeProvider time,
    ILogger<ClassifierTrainingService> logger) : IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>The local-classifier model a task trains: its small model when that is one, else its first local-classifier candidate.</summary>
    public static CatalogModel? ModelOf(CatalogTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.SmallModel is { IsLocalClassifier: true } small ? small : task.Candidates.FirstOrDefault(c => c.Model.IsLocalClassifier)?.Model;
    }

    public async Task<(ClassifierVersionInfo? Trained, TrainingRefusal? Refused)> TrainAsync(string taskName, CancellationToken cancellationToken)
    {
        if (!catalog.TryResolve(taskName, out var task))
        {
            return (null, new TrainingRefusal(404, $"Unknown task '{taskName}'. Known tasks: {string.Join(", ", catalog.Tasks.Select(t => t.Name))}."));
        }

        if (task.Kind != TaskKind.Classification)
        {
            return (null, new TrainingRefusal(409, $"Task '{task.Name}' is a {task.Kind.ToString().ToLowerInvariant()} task; only classification tasks train a local classifier."));
        }

        if (ModelOf(task) is not { } model)
        {
            return (null, new TrainingRefusal(409, $"Task '{task.Name}' has no local-classifier model: declare one under Router:Models (Kind local-classifier) and use it as the task's Small:Model or a candidate's Model."));
        }

        var settings = model.Classifier!;
        var labels = task.Output.Labels;
        var byName = labels.ToDictionary(l => l, l => l, StringComparer.OrdinalIgnoreCase);
        var rows = new List<LabelledText>();
        await foreach (var sample in samples.ReadEligibleAsync(task.Name, task.PromptVersion, cancellationToken).ConfigureAwait(false))
        {
            // A tool-call sample teaches calling functions, not a label.
            if (sample.OutputToolCalls.Count == 0 && byName.TryGetValue(sample.Output.Trim(), out var label))
            {
                rows.Add(new LabelledText(sample.InputHash, ClassifierInput.From(sample.Messages), label));
            }
        }

        if (rows.Count < settings.MinSamples)
        {
            return (null, new TrainingRefusal(409, $"Task '{task.Name}' has {rows.Count} eligible samples (labelled, current prompt version {task.PromptVersion}); training needs at least {settings.MinSamples} (Router:Models:{model.Name}:Classifier:MinSamples). Send more traffic with capture on (Router:Tasks:{task.Name}:CaptureRate)."));
        }

        if (rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Count() < 2)
        {
            return (null, new TrainingRefusal(409, $"Task '{task.Name}': every eligible sample has the same label '{rows[0].Label}'; a classifier needs at least two labels to learn."));
        }

        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var artefact = await Task.Run(() => ClassifierTrainer.Train(model.Name, task.Name, labels, rows, settings, time), cancellationToken).ConfigureAwait(false);
            await store.SaveAsync(artefact, cancellationToken).ConfigureAwait(false);
            await store.SetCurrentAsync(model.Name, artefact.Info.Version, cancellationToken).ConfigureAwait(false);
            classifiers.Swap(model.Name, artefact.Loaded, artefact.Info);
            LogTrained(logger, task.Name, model.Name, artefact.Info.Version, rows.Count, artefact.Info.Metrics.Accuracy, artefact.Info.TrainingSeconds);
            return (artefact.Info, null);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Task {Task}: local classifier {Model} trained version {Version} on {Samples} samples, held-out accuracy {Accuracy:0.000}, {Seconds:0.0} s")]
    private static partial void LogTrained(ILogger logger, string task, string model, string version, int samples, double accuracy, double seconds);
}
