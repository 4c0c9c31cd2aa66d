using Azure.Data.Tables;
using Router.Core.Ledger;

namespace Router.Functions.Tests.Dashboard;

/// <summary>Writes RouterRollups rows the way the rollup writer will: one row per task/hour/route/model/client/instance.</summary>
internal static class RollupSeed
{
    public static async Task<List<RollupRecord>> WriteAsync(string connectionString, string table, DateTimeOffset now, int days)
    {
        var client = new TableServiceClient(connectionString).GetTableClient(table);
        await client.CreateIfNotExistsAsync();
        var rows = new List<RollupRecord>();
        for (var d = days - 1; d >= 0; d--)
        {
            var day = now.UtcDateTime.Date.AddDays(-d);
            // Today only up to the current hour: the reader never looks ahead.
            var hours = d == 0 ? new[] { now.UtcDateTime.Hour } : [3, 9, 15, 21];
            foreach (var hour in hours)
            {
                var at = new DateTimeOffset(day.AddHours(hour), TimeSpan.Zero);
                var growth = 1 + ((days - d) / (double)days);
                // summarize: large route at ~2,000 calls/day with a heavy prompt tax (a distillation candidate).
                rows.Add(Row("summarize", at, "large", "large", (long)(500 * growth), inputPerCall: 1500, systemPerCall: 600, examplesPerCall: 700, outputPerCall: 150, inPrice: 2.50m, outPrice: 10.00m, latencyMs: 700, fallbacks: 0));
                // ticket-triage: distilled (small route) with a few cascades to large.
                rows.Add(Row("ticket-triage", at, "small", "small", (long)(300 * growth), inputPerCall: 120, systemPerCall: 30, examplesPerCall: 0, outputPerCall: 3, inPrice: 0.30m, outPrice: 1.20m, latencyMs: 180, fallbacks: 0, escalations: 6));
                rows.Add(Row("ticket-triage", at, "large", "large", 6, inputPerCall: 900, systemPerCall: 400, examplesPerCall: 400, outputPerCall: 3, inPrice: 2.50m, outPrice: 10.00m, latencyMs: 700, fallbacks: 6));
                // contract-qa: knowledge, large only.
                rows.Add(Row("contract-qa", at, "large", "large", (long)(80 * growth), inputPerCall: 3000, systemPerCall: 300, examplesPerCall: 0, outputPerCall: 250, inPrice: 2.50m, outPrice: 10.00m, latencyMs: 1_500, fallbacks: 0, contextPerCall: 2400));
                // invoice-extract: a dozen calls a day, far below its break-even (the chart's volume axis turns logarithmic).
                rows.Add(Row("invoice-extract", at, "large", "large", 3, inputPerCall: 400, systemPerCall: 120, examplesPerCall: 80, outputPerCall: 30, inPrice: 2.50m, outPrice: 10.00m, latencyMs: 450, fallbacks: 0));
            }
        }

        foreach (var partition in rows.GroupBy(r => r.Task))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await client.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, RollupEntity.ToEntity(r))));
            }
        }

        return rows;
    }

    private static RollupRecord Row(string task, DateTimeOffset hour, string route, string model, long calls, long inputPerCall, long systemPerCall, long examplesPerCall, long outputPerCall, decimal inPrice, decimal outPrice, double latencyMs, long fallbacks, long escalations = 0, long contextPerCall = 0)
    {
        // A quarter a little faster, a twentieth twice as slow, the rest at latencyMs.
        var buckets = new long[LatencyHistogram.BucketCount];
        buckets[LatencyHistogram.BucketOf(latencyMs * 0.8)] += calls / 4;
        buckets[LatencyHistogram.BucketOf(latencyMs)] += calls - (calls / 4) - (calls / 20);
        buckets[LatencyHistogram.BucketOf(latencyMs * 2)] += calls / 20;
        var cost = calls * ((inputPerCall * inPrice) + (outputPerCall * outPrice)) / 1_000_000m;
        return new RollupRecord
        {
            Task = task,
            Hour = hour,
            Route = route,
            Model = model,
            Client = "seed",
            Instance = "dashboard-test",
            Calls = calls,
            Fallbacks = fallbacks,
            Escalations = escalations,
            InputTokens = calls * inputPerCall,
            SystemTokens = calls * systemPerCall,
            ExamplesTokens = calls * examplesPerCall,
            ContextTokens = calls * contextPerCall,
            CallerTokens = calls * (inputPerCall - systemPerCall - examplesPerCall - contextPerCall),
            OutputTokens = calls * outputPerCall,
            CostNanoUsd = (long)(cost * CallRecordEntity.NanoPerUsd),
            LatencySumMs = calls * 400,
            LatencyBuckets = buckets,
        };
    }
}
