using Azure.Data.Tables;
using Router.Core.Evaluation;
using Router.Core.Ledger;

namespace Router.Functions.Tests.Dashboard;

/// <summary>Writes RouterShadowRollups rows for two candidates (a prompted mini on summarize, a tuned small on invoice-extract), two instances each.</summary>
internal static class ShadowRollupSeed
{
    public static async Task<List<ShadowRollupRecord>> WriteAsync(string connectionString, string table, DateTimeOffset now)
    {
        var client = new TableServiceClient(connectionString).GetTableClient(table);
        await client.CreateIfNotExistsAsync();
        var hour = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);
        List<ShadowRollupRecord> rows =
        [
            Row("summarize", "mini", "mini", hour.AddHours(-1), "i1", calls: 300, agreements: 291, costNanoUsd: 300 * 120_000, latencyMs: 260),
            Row("summarize", "mini", "mini", hour, "i2", calls: 200, agreements: 195, costNanoUsd: 200 * 120_000, latencyMs: 260),
            Row("invoice-extract", "tuned", "small", hour.AddHours(-2), "i1", calls: 40, agreements: 31, costNanoUsd: 40 * 50_000, latencyMs: 90),
            Row("invoice-extract", "tuned", "small", hour, "i2", calls: 20, agreements: 16, costNanoUsd: 20 * 50_000, latencyMs: 90),
        ];
        foreach (var row in rows)
        {
            await client.UpsertEntityAsync(ShadowRollupEntity.ToEntity(row));
        }

        return rows;
    }

    private static ShadowRollupRecord Row(string task, string candidate, string model, DateTimeOffset hour, string instance, long calls, long agreements, long costNanoUsd, double latencyMs)
    {
        var buckets = new long[LatencyHistogram.BucketCount];
        buckets[LatencyHistogram.BucketOf(latencyMs)] = calls;
        return new ShadowRollupRecord
        {
            Task = task,
            Hour = hour,
            Candidate = candidate,
            Instance = instance,
            Model = model,
            Calls = calls,
            Scored = calls,
            Valid = calls,
            Agreements = agreements,
            ScoreSum = agreements,
            CostNanoUsd = costNanoUsd,
            InputTokens = calls * 1_500,
            OutputTokens = calls * 150,
            LatencySumMs = calls * latencyMs,
            LatencyBuckets = buckets,
        };
    }
}
