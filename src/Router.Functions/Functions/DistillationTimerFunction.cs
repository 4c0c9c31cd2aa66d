using Microsoft.Azure.Functions.Worker;
using Router.Core.Classifier;
using Router.Core.Distillation.Reporting;

namespace Router.Functions.Functions;

/// <summary>
/// The scheduled report. The schedule is the setting Router:Distillation:Schedule (NCRONTAB, six
/// fields; default "0 0 6 * * *" in catalog.json and infra app settings, so it always resolves).
/// With Router:Distillation:AutoTrain on, the classification tasks it says to distill now are trained next.
/// </summary>
public sealed class DistillationTimerFunction(DistillationReportService reports, AutoTrainer autoTrain)
{
    public const string Schedule = "%Router:Distillation:Schedule%";

    [Function("DistillationTimer")]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var (run, _) = await reports.RunAsync(cancellationToken);
        await autoTrain.AfterReportAsync(run, cancellationToken);
    }
}
