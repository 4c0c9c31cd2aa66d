using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Catalog;
using Router.Core.Distillation;
using Router.Core.Distillation.Reporting;

namespace Router.Core.Classifier;

/// <summary>
/// Router:Distillation:AutoTrain: after the scheduled report, trains the local classifier of each
/// classification task the report says to distill now. A refusal (too few samples...) is logged, never
/// thrown; one task's failure does not stop the others. Training the same samples again gives the same
/// version, so a repeated run changes nothing.
/// </summary>
public sealed partial class AutoTrainer(TaskCatalog catalog, ClassifierTrainingService training, IOptions<DistillationOptions> options, ILogger<AutoTrainer> logger)
{
    /// <summary>The tasks a run would train: verdict distill-now, classification, with a local-classifier model.</summary>
    public static IReadOnlyList<string> TasksToTrain(DistillationRun run, TaskCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(catalog);
        return run.Reports
            .Where(r => r.Verdict == DistillationVerdict.DistillNow)
            .Select(r => catalog.TryResolve(r.Task, out var task) ? task : null)
            .Where(t => t is { Kind: TaskKind.Classification } && ClassifierTrainingService.ModelOf(t) is not null)
            .Select(t => t!.Name)
            .ToArray();
    }

    /// <summary>Trains what <see cref="TasksToTrain"/> names, when the setting is on; returns the versions trained.</summary>
    public async Task<IReadOnlyList<ClassifierVersionInfo>> AfterReportAsync(DistillationRun run, CancellationToken cancellationToken)
    {
        if (!options.Value.AutoTrain)
        {
            return [];
        }

        var trained = new List<ClassifierVersionInfo>();
        foreach (var task in TasksToTrain(run, catalog))
        {
            try
            {
                var (version, refused) = await training.TrainAsync(task, cancellationToken).ConfigureAwait(false);
                if (version is not null)
                {
                    trained.Add(version);
                }
                else
                {
                    LogRefused(logger, task, refused!.Message);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogFailed(logger, task, ex.GetType().Name);
            }
        }

        return trained;
    }

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "Task {Task}: distill-now, but the local classifier was not trained: {Why}")]
    private static partial void LogRefused(ILogger logger, string task, string why);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Error, Message = "Task {Task}: automatic training failed ({ErrorType}); the report stands and the next run tries again")]
    private static partial void LogFailed(ILogger logger, string task, string errorType);
}
