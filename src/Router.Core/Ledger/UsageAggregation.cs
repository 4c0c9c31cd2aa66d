using System.Globalization;

namespace Router.Core.Ledger;

/// <summary>Adds rollup rows (from every instance) up into the groups a usage query asks for. Pure: no storage.</summary>
public static class UsageAggregation
{
    public static UsageReport Aggregate(IEnumerable<RollupRecord> rows, UsageQuery query)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(query);
        var total = new RollupTotals();
        var groups = new Dictionary<GroupKey, RollupTotals>();
        foreach (var row in rows)
        {
            if (row.Hour < query.From || row.Hour >= query.To || (query.Task is not null && row.Task != query.Task) || (query.Client is not null && row.Client != query.Client) || (query.Api is not null && row.Api != query.Api))
            {
                continue;
            }

            total.Add(row);
            var key = KeyOf(row, query.GroupBy);
            if (!groups.TryGetValue(key, out var sum))
            {
                sum = new RollupTotals();
                groups.Add(key, sum);
            }

            sum.Add(row);
        }

        var ordered = groups
            .OrderBy(g => g.Key.Hour ?? DateTimeOffset.MinValue)
            .ThenBy(g => g.Key.Day, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Task, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Route, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Client, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Api, StringComparer.Ordinal)
            .Select(g => new UsageGroup(g.Key.Hour, g.Key.Day, g.Key.Task, g.Key.Route, g.Key.Model, g.Key.Client, ToFigures(g.Value)) { Api = g.Key.Api })
            .ToList();
        var groupBy = query.GroupBy.Select(d => d.ToString().ToLowerInvariant()).ToList();
        return new UsageReport(query.From, query.To, query.Task, query.Client, groupBy, query.GroupBy.Count == 0 ? [] : ordered, ToFigures(total))
        {
            Api = query.Api,
            Metadata = query.Metadata.Count > 0 ? query.Metadata : null,
        };
    }

    private static GroupKey KeyOf(RollupRecord row, IReadOnlyList<UsageDimension> by) => new(
        by.Contains(UsageDimension.Hour) ? row.Hour : null,
        by.Contains(UsageDimension.Day) ? row.Hour.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        by.Contains(UsageDimension.Task) ? row.Task : null,
        by.Contains(UsageDimension.Route) ? row.Route : null,
        by.Contains(UsageDimension.Model) ? row.Model : null,
        by.Contains(UsageDimension.Client) ? row.Client : null,
        by.Contains(UsageDimension.Api) ? row.Api : null);

    private readonly record struct GroupKey(DateTimeOffset? Hour, string? Day, string? Task, string? Route, string? Model, string? Client, string? Api);

    private static UsageFigures ToFigures(RollupTotals totals)
    {
        var requests = totals.Calls - totals.Escalations;
        return new UsageFigures(
            totals.Calls,
            requests,
            totals.Errors,
            totals.Fallbacks,
            totals.Escalations,
            requests > 0 ? (double)totals.Fallbacks / requests : null,
            totals.CostNanoUsd / CallRecordEntity.NanoPerUsd,
            totals.CostNanoUsd,
            new UsageTokens(totals.InputTokens, totals.SystemTokens, totals.ExamplesTokens, totals.ContextTokens, totals.CallerTokens, totals.CachedInputTokens, totals.OutputTokens),
            new UsageLatency(
                Round(totals.Percentile(0.50)),
                Round(totals.Percentile(0.95)),
                Round(totals.Percentile(0.99)),
                totals.Calls > 0 ? Math.Round(totals.LatencySumMs / totals.Calls, 3) : null));
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;
}
