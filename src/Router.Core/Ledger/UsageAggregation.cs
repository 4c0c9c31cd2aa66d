using System.Globalization;

namespace Router.Core.Ledger;

/// <summary>Adds rollup rows (from every instance) up into the groups a usage query asks for. Pure: no storage.</summary>
public static class UsageAggregation
{
    public static UsageReport Aggregate(IEnumerable<RollupRecord> rows, UsageQuery query)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(query);
        var total = new Sum();
        var groups = new Dictionary<GroupKey, Sum>();
        foreach (var row in rows)
        {
            if (row.Hour < query.From || row.Hour >= query.To || (query.Task is not null && row.Task != query.Task) || (query.Client is not null && row.Client != query.Client))
            {
                continue;
            }

            total.Add(row);
            var key = KeyOf(row, query.GroupBy);
            if (!groups.TryGetValue(key, out var sum))
            {
                sum = new Sum();
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
            .Select(g => new UsageGroup(g.Key.Hour, g.Key.Day, g.Key.Task, g.Key.Route, g.Key.Model, g.Key.Client, g.Value.ToFigures()))
            .ToList();
        var groupBy = query.GroupBy.Select(d => d.ToString().ToLowerInvariant()).ToList();
        return new UsageReport(query.From, query.To, query.Task, query.Client, groupBy, query.GroupBy.Count == 0 ? [] : ordered, total.ToFigures());
    }

    private static GroupKey KeyOf(RollupRecord row, IReadOnlyList<UsageDimension> by) => new(
        by.Contains(UsageDimension.Hour) ? row.Hour : null,
        by.Contains(UsageDimension.Day) ? row.Hour.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        by.Contains(UsageDimension.Task) ? row.Task : null,
        by.Contains(UsageDimension.Route) ? row.Route : null,
        by.Contains(UsageDimension.Model) ? row.Model : null,
        by.Contains(UsageDimension.Client) ? row.Client : null);

    private readonly record struct GroupKey(DateTimeOffset? Hour, string? Day, string? Task, string? Route, string? Model, string? Client);

    private sealed class Sum
    {
        private readonly long[] _buckets = new long[LatencyHistogram.BucketCount];
        private long _calls;
        private long _errors;
        private long _fallbacks;
        private long _escalations;
        private long _input;
        private long _system;
        private long _examples;
        private long _context;
        private long _caller;
        private long _cached;
        private long _output;
        private long _costNano;
        private double _latencySum;

        public void Add(RollupRecord row)
        {
            _calls += row.Calls;
            _errors += row.Errors;
            _fallbacks += row.Fallbacks;
            _escalations += row.Escalations;
            _input += row.InputTokens;
            _system += row.SystemTokens;
            _examples += row.ExamplesTokens;
            _context += row.ContextTokens;
            _caller += row.CallerTokens;
            _cached += row.CachedInputTokens;
            _output += row.OutputTokens;
            _costNano += row.CostNanoUsd;
            _latencySum += row.LatencySumMs;
            for (var i = 0; i < _buckets.Length && i < row.LatencyBuckets.Count; i++)
            {
                _buckets[i] += row.LatencyBuckets[i];
            }
        }

        public UsageFigures ToFigures()
        {
            var requests = _calls - _escalations;
            return new UsageFigures(
                _calls,
                requests,
                _errors,
                _fallbacks,
                _escalations,
                requests > 0 ? (double)_fallbacks / requests : null,
                _costNano / CallRecordEntity.NanoPerUsd,
                _costNano,
                new UsageTokens(_input, _system, _examples, _context, _caller, _cached, _output),
                new UsageLatency(
                    Round(LatencyHistogram.Percentile(_buckets, 0.50)),
                    Round(LatencyHistogram.Percentile(_buckets, 0.95)),
                    Round(LatencyHistogram.Percentile(_buckets, 0.99)),
                    _calls > 0 ? Math.Round(_latencySum / _calls, 3) : null));
        }

        private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;
    }
}
