using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Functions;

/// <summary>
/// Rollups built by the rollup writer's own aggregator from calls with known latencies, read back
/// through GET /api/usage: its interpolated p50/p95/p99 land within 5% of the raw calls' percentiles,
/// and differ per task as the latencies do.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class UsageLatencyPercentilesTests(SharedServers stack)
{
    [Fact]
    public async Task Usage_SeededRowsWithKnownLatencies_PercentilesWithinFivePercentOfTheRawOnes()
    {
        var table = "Rollups" + Guid.NewGuid().ToString("N")[..12];
        var settings = stack.Settings;
        settings["Router:Storage:RollupsTable"] = table;
        var now = TimeProvider.System.GetUtcNow();
        var random = new Random(16);
        var latencies = new Dictionary<string, double[]>
        {
            // a tight classifier around 150 ms, a log-normal summarizer around 900 ms, a bimodal knowledge task
            ["ticket-triage"] = Draw(random, 3_000, r => Math.Exp(Math.Log(150) + (0.25 * Normal(r)))),
            ["summarize"] = Draw(random, 3_000, r => Math.Exp(Math.Log(900) + (0.6 * Normal(r)))),
            ["contract-qa"] = Draw(random, 3_000, r => r.NextDouble() < 0.85 ? Math.Exp(Math.Log(1_200) + (0.3 * Normal(r))) : Math.Exp(Math.Log(6_000) + (0.4 * Normal(r)))),
        };
        await SeedAsync(stack.Azurite.ConnectionString, table, now, latencies);
        await using var router = await RouterServer.StartAsync(settings);
        using var admin = router.CreateClient(RouterServer.AdminKey);

        var p50s = new List<double>();
        foreach (var (task, raw) in latencies)
        {
            var body = await admin.GetFromJsonAsync<JsonElement>($"api/usage?task={task}");
            var latency = body.GetProperty("total").GetProperty("latencyMs");

            Assert.Equal(raw.Length, body.GetProperty("total").GetProperty("calls").GetInt64());
            Assert.Equal(["p50", "p95", "p99"], latency.GetProperty("estimated").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(LatencyHistogram.Growth, latency.GetProperty("bucketGrowth").GetDouble());
            Array.Sort(raw);
            foreach (var (name, q) in new[] { ("p50", 0.50), ("p95", 0.95), ("p99", 0.99) })
            {
                var exact = raw[(int)Math.Ceiling(q * raw.Length) - 1];
                var estimate = latency.GetProperty(name).GetDouble();
                Assert.True(Math.Abs(estimate - exact) <= 0.05 * exact, $"{task} {name}: usage API {estimate:0.#} ms, raw {exact:0.#} ms");
            }

            Assert.Equal(raw.Average(), latency.GetProperty("mean").GetDouble(), 2);
            p50s.Add(latency.GetProperty("p50").GetDouble());
        }

        Assert.Equal(3, p50s.Distinct().Count());
    }

    /// <summary>Calls spread over the last three hours and two instances, aggregated exactly as the ledger writer does.</summary>
    private static async Task SeedAsync(string connectionString, string table, DateTimeOffset now, Dictionary<string, double[]> latencies)
    {
        var client = new TableServiceClient(connectionString).GetTableClient(table);
        await client.CreateIfNotExistsAsync();
        var instances = new[] { new RollupAggregator("usage-a"), new RollupAggregator("usage-b") };
        foreach (var (task, values) in latencies)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var at = now.AddMinutes(-(i % 150));
                instances[i % 2].Add(new CallRecord
                {
                    CallId = $"{task}-{i}", RequestId = $"{task}-{i}", Timestamp = at, Task = task, Route = "large", Model = "large",
                    Deployment = "gpt-4o", Client = "seed", Api = "route", Status = CallStatus.Ok, PriceVersion = "p", PromptVersion = "v", TotalMs = values[i],
                });
            }
        }

        foreach (var partition in instances.SelectMany(a => a.TakeDirty()).GroupBy(r => r.Task))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await client.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, RollupEntity.ToEntity(r))));
            }
        }
    }

    private static double[] Draw(Random random, int count, Func<Random, double> draw) => Enumerable.Range(0, count).Select(_ => draw(random)).ToArray();

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
