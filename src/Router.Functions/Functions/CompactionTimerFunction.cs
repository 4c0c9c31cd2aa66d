using Microsoft.Azure.Functions.Worker;
using Router.Core.Ledger.Fleet;

namespace Router.Functions.Functions;

/// <summary>
/// Rollup compaction (docs/ledger.md, "Compaction"), every five minutes by default
/// (Router:Ledger:Compaction:Schedule). The Functions host runs a timer on one instance; the
/// standalone host runs it everywhere, so a blob lease keeps it to one compactor at a time.
/// </summary>
public sealed class CompactionTimerFunction(RollupCompactor compactor, CompactionLease lease)
{
    public const string Schedule = "%Router:Ledger:Compaction:Schedule%";

    [Function("CompactionTimer")]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await lease.RunExclusiveAsync(compactor.RunAsync, cancellationToken);
    }
}
