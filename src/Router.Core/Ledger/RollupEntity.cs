using System.Globalization;
using Azure.Data.Tables;

namespace Router.Core.Ledger;

/// <summary>Maps <see cref="RollupRecord"/> to RouterRollups rows: PartitionKey {task}, RowKey {yyyyMMddHH}-{route}-{model}-{client}-{instance}.</summary>
public static class RollupEntity
{
    public static string RowKey(DateTimeOffset hour, string route, string model, string client, string instance) =>
        string.Create(CultureInfo.InvariantCulture, $"{hour.UtcDateTime:yyyyMMddHH}-{route}-{model}-{client}-{instance}");

    /// <summary>Row keys from this hour on sort at or after this prefix: lets a reader select a time range by key.</summary>
    public static string HourPrefix(DateTimeOffset hour) => hour.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>The hour a key prefix (<see cref="HourPrefix"/>) names.</summary>
    public static DateTimeOffset ParseHour(ReadOnlySpan<char> prefix) =>
        new(DateTime.ParseExact(prefix[..10], "yyyyMMddHH", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    public static TableEntity ToEntity(RollupRecord rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        var entity = new TableEntity(rollup.Task, RowKey(rollup.Hour, rollup.Route, rollup.Model, rollup.Client, rollup.Instance))
        {
            ["Task"] = rollup.Task,
            ["Hour"] = rollup.Hour,
            ["Route"] = rollup.Route,
            ["Model"] = rollup.Model,
            ["Client"] = rollup.Client,
            ["Instance"] = rollup.Instance,
            ["Calls"] = rollup.Calls,
            ["Errors"] = rollup.Errors,
            ["Fallbacks"] = rollup.Fallbacks,
            ["Escalations"] = rollup.Escalations,
            ["RuleViolations"] = rollup.RuleViolations,
            ["InputTokens"] = rollup.InputTokens,
            ["SystemTokens"] = rollup.SystemTokens,
            ["ExamplesTokens"] = rollup.ExamplesTokens,
            ["ContextTokens"] = rollup.ContextTokens,
            ["CallerTokens"] = rollup.CallerTokens,
            ["CachedInputTokens"] = rollup.CachedInputTokens,
            ["OutputTokens"] = rollup.OutputTokens,
            ["CostNanoUsd"] = rollup.CostNanoUsd,
            ["CostUsd"] = (double)rollup.CostUsd,
            ["LatencySumMs"] = rollup.LatencySumMs,
            ["JournalSeq"] = rollup.JournalSeq,
        };
        if (rollup.PromptVersion is not null)
        {
            entity["PromptVersion"] = rollup.PromptVersion;
        }

        if (rollup.FirstCallAt is { } first)
        {
            entity["FirstCallAt"] = first;
        }

        if (rollup.LastCallAt is { } last)
        {
            entity["LastCallAt"] = last;
        }

        // Sparse: only buckets that hold calls (UpsertReplace drops the rest, and a missing column reads as 0).
        // With every bucket set a row has 3 system + 25 named + 135 bucket properties = 163, under the 252 limit.
        for (var i = 0; i < LatencyHistogram.BucketCount && i < rollup.LatencyBuckets.Count; i++)
        {
            if (rollup.LatencyBuckets[i] != 0)
            {
                entity[LatencyHistogram.Column(i)] = rollup.LatencyBuckets[i];
            }
        }

        return entity;
    }

    public static RollupRecord FromEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var buckets = new long[LatencyHistogram.BucketCount];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = entity.GetInt64(LatencyHistogram.Column(i)) ?? 0;
        }

        return new RollupRecord
        {
            Task = entity.GetString("Task") ?? entity.PartitionKey,
            Hour = entity.GetDateTimeOffset("Hour") ?? default,
            Route = entity.GetString("Route"),
            Model = entity.GetString("Model"),
            Client = entity.GetString("Client"),
            Instance = entity.GetString("Instance"),
            Calls = entity.GetInt64("Calls") ?? 0,
            Errors = entity.GetInt64("Errors") ?? 0,
            Fallbacks = entity.GetInt64("Fallbacks") ?? 0,
            Escalations = entity.GetInt64("Escalations") ?? 0,
            RuleViolations = entity.GetInt64("RuleViolations") ?? 0,
            FirstCallAt = entity.GetDateTimeOffset("FirstCallAt"),
            LastCallAt = entity.GetDateTimeOffset("LastCallAt"),
            InputTokens = entity.GetInt64("InputTokens") ?? 0,
            SystemTokens = entity.GetInt64("SystemTokens") ?? 0,
            ExamplesTokens = entity.GetInt64("ExamplesTokens") ?? 0,
            ContextTokens = entity.GetInt64("ContextTokens") ?? 0,
            CallerTokens = entity.GetInt64("CallerTokens") ?? 0,
            CachedInputTokens = entity.GetInt64("CachedInputTokens") ?? 0,
            OutputTokens = entity.GetInt64("OutputTokens") ?? 0,
            CostNanoUsd = entity.GetInt64("CostNanoUsd") ?? 0,
            LatencySumMs = entity.GetDouble("LatencySumMs") ?? 0,
            LatencyBuckets = buckets,
            PromptVersion = entity.GetString("PromptVersion"),
            JournalSeq = entity.GetInt64("JournalSeq") ?? 0,
        };
    }
}
