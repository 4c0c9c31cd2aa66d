using System.Globalization;
using Azure.Data.Tables;
using Router.Core.Ledger;

namespace Router.Core.Evaluation;

/// <summary>Maps <see cref="ShadowRollupRecord"/> to RouterShadowRollups rows: PartitionKey {task}, RowKey {yyyyMMddHH}-{candidate}-{instance}.</summary>
public static class ShadowRollupEntity
{
    public static string RowKey(DateTimeOffset hour, string candidate, string instance) =>
        string.Create(CultureInfo.InvariantCulture, $"{hour.UtcDateTime:yyyyMMddHH}-{candidate}-{instance}");

    public static TableEntity ToEntity(ShadowRollupRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var entity = new TableEntity(row.Task, RowKey(row.Hour, row.Candidate, row.Instance))
        {
            ["Task"] = row.Task,
            ["Hour"] = row.Hour,
            ["Candidate"] = row.Candidate,
            ["Instance"] = row.Instance,
            ["Model"] = row.Model,
            ["Calls"] = row.Calls,
            ["Failures"] = row.Failures,
            ["Scored"] = row.Scored,
            ["Valid"] = row.Valid,
            ["Agreements"] = row.Agreements,
            ["ScoreSum"] = row.ScoreSum,
            ["CostNanoUsd"] = row.CostNanoUsd,
            ["CostUsd"] = (double)row.CostUsd,
            ["InputTokens"] = row.InputTokens,
            ["OutputTokens"] = row.OutputTokens,
            ["LatencySumMs"] = row.LatencySumMs,
        };
        if (row.JudgeCalls != 0)
        {
            entity["JudgeCalls"] = row.JudgeCalls;
            entity["JudgeCostNanoUsd"] = row.JudgeCostNanoUsd;
        }

        // Only non-zero buckets, as in RouterRollups: a missing column reads as 0.
        for (var i = 0; i < LatencyHistogram.BucketCount && i < row.LatencyBuckets.Count; i++)
        {
            if (row.LatencyBuckets[i] != 0)
            {
                entity[LatencyHistogram.Column(i)] = row.LatencyBuckets[i];
            }
        }

        return entity;
    }

    public static ShadowRollupRecord FromEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var buckets = new long[LatencyHistogram.BucketCount];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = entity.GetInt64(LatencyHistogram.Column(i)) ?? 0;
        }

        return new ShadowRollupRecord
        {
            Task = entity.GetString("Task") ?? entity.PartitionKey,
            Hour = entity.GetDateTimeOffset("Hour") ?? default,
            Candidate = entity.GetString("Candidate"),
            Instance = entity.GetString("Instance"),
            Model = entity.GetString("Model"),
            Calls = entity.GetInt64("Calls") ?? 0,
            Failures = entity.GetInt64("Failures") ?? 0,
            Scored = entity.GetInt64("Scored") ?? 0,
            Valid = entity.GetInt64("Valid") ?? 0,
            Agreements = entity.GetInt64("Agreements") ?? 0,
            ScoreSum = entity.GetDouble("ScoreSum") ?? 0,
            CostNanoUsd = entity.GetInt64("CostNanoUsd") ?? 0,
            InputTokens = entity.GetInt64("InputTokens") ?? 0,
            OutputTokens = entity.GetInt64("OutputTokens") ?? 0,
            LatencySumMs = entity.GetDouble("LatencySumMs") ?? 0,
            JudgeCalls = entity.GetInt64("JudgeCalls") ?? 0,
            JudgeCostNanoUsd = entity.GetInt64("JudgeCostNanoUsd") ?? 0,
            LatencyBuckets = buckets,
        };
    }
}
