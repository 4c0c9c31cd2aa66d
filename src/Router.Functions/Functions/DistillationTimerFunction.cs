using Microsoft.Azure.Functions.Worker;
using Router.Core.Distillation.Reporting;

namespace Router.Functions.Functions;

/// <summary>
/// The scheduled report. The schedule is the setting Router:Distillation:Schedule (NCRONTAB, six
/// fields; default "0 0 6 * * *" in catalog.json and infra app settings, so it always resolves).
/// </summary>
public sealed class DistillationTimerFunction(DistillationReportService reports)
{
    public const string Schedule = "%Router:Distillation:Schedule%";

    [Function("DistillationTimer")]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await reports.RunAsync(cancellationToken);
    }
}
