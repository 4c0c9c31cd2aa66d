using Router.Core.Ledger;
using Router.Core.Routing;

namespace Router.Core.Promotion;

/// <summary>
/// How often a promoted route's answers cascaded to large lately, from RouterRollups (through the one
/// reader, <see cref="RollupStore"/>; never raw calls): the small route's model calls on <c>model</c>
/// (served and escalated) and the escalated ones, summed over every instance and client for the hours from <c>from</c> on.
/// </summary>
public sealed class CascadeRateReader(RollupStore rollups)
{
    private static readonly string[] Columns = ["Calls", "Escalations"];

    public async Task<(long Calls, long Cascades)> ReadAsync(string task, string model, DateTimeOffset from, CancellationToken cancellationToken)
    {
        long calls = 0, cascades = 0;
        await foreach (var row in rollups.QueryAsync(new RollupRead { Task = task, From = from, Columns = Columns }, cancellationToken).ConfigureAwait(false))
        {
            if (row.Route == RouteNames.Small && string.Equals(row.Model, model, StringComparison.Ordinal))
            {
                calls += row.Calls;
                cascades += row.Escalations;
            }
        }

        return (calls, cascades);
    }
}
