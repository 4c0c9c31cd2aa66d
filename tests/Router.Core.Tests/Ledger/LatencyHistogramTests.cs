using Router.Core.Ledger;

namespace Router.Core.Tests.Ledger;

public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(1.0001, 1)]
    [InlineData(1.1, 1)]
    [InlineData(1.2, 2)]
    [InlineData(1.21, 2)]
    [InlineData(1.22, 3)]
    public void BucketOf_Boundaries_UpperBoundIsInclusive(double ms, int bucket) =>
        Assert.Equal(bucket, LatencyHistogram.BucketOf(ms));

    [Fact]
    public void UpperBounds_LogSpaced_TenPercentStepsFromOneMillisecondPastFiveMinutes()
    {
        var bounds = LatencyHistogram.UpperBoundsMs;

        Assert.Equal(1, bounds[0], 12);
        Assert.All(Enumerable.Range(1, bounds.Length - 1), i => Assert.Equal(1.1, bounds[i] / bounds[i - 1], 9));
        Assert.InRange(bounds[^1], 300_000, 330_000);
        Assert.True(bounds[^2] < 300_000);
        Assert.Equal(bounds.Length + 1, LatencyHistogram.BucketCount);
        Assert.Equal(LatencyHistogram.BucketCount - 1, LatencyHistogram.BucketOf(400_000));
    }

    [Fact]
    public void Percentile_Empty_IsNull() =>
        Assert.Null(LatencyHistogram.Percentile(new long[LatencyHistogram.BucketCount], 0.5));

    [Fact]
    public void Percentile_AllInOneBucket_InterpolatesInsideIt()
    {
        var counts = new long[LatencyHistogram.BucketCount];
        var bucket = LatencyHistogram.BucketOf(30);
        counts[bucket] = 100;
        var lower = LatencyHistogram.UpperBoundsMs[bucket - 1];
        var upper = LatencyHistogram.UpperBoundsMs[bucket];

        Assert.Equal(lower + ((upper - lower) * 0.5), LatencyHistogram.Percentile(counts, 0.5)!.Value, 9);
        Assert.Equal(lower + ((upper - lower) * 0.95), LatencyHistogram.Percentile(counts, 0.95)!.Value, 9);
        Assert.Equal(upper, LatencyHistogram.Percentile(counts, 1.0)!.Value, 9);
    }

    [Fact]
    public void Percentile_TwoBuckets_RankFallsInTheRightBucket()
    {
        var counts = new long[LatencyHistogram.BucketCount];
        counts[0] = 90; // [0, 1]
        var slow = LatencyHistogram.BucketOf(600);
        counts[slow] = 10;
        var lower = LatencyHistogram.UpperBoundsMs[slow - 1];
        var upper = LatencyHistogram.UpperBoundsMs[slow];

        // p50: rank 50 of 90 in bucket 0 -> 1 * 50/90.
        Assert.Equal(50 / 90.0, LatencyHistogram.Percentile(counts, 0.5)!.Value, 9);
        // p95: rank 95 -> 5 into the 10 of the slow bucket.
        Assert.Equal(lower + ((upper - lower) * 0.5), LatencyHistogram.Percentile(counts, 0.95)!.Value, 9);
        Assert.Equal(lower + ((upper - lower) * 0.9), LatencyHistogram.Percentile(counts, 0.99)!.Value, 9);
    }

    [Fact]
    public void Percentile_OverflowBucket_IsOneStepAboveTheLastBound()
    {
        var counts = new long[LatencyHistogram.BucketCount];
        counts[^1] = 2;

        var last = LatencyHistogram.UpperBoundsMs[^1];
        Assert.Equal(last + ((last * 1.1) - last) * 0.5, LatencyHistogram.Percentile(counts, 0.5)!.Value, 6);
    }

    /// <summary>
    /// Known latencies from three shapes a router sees (a fast classifier, a log-normal model call,
    /// a bimodal mix with a slow tail): the interpolated p50/p95/p99 land within 5% of the exact
    /// percentiles of the raw values.
    /// </summary>
    [Theory]
    [InlineData("fast", 1)]
    [InlineData("lognormal", 2)]
    [InlineData("bimodal", 3)]
    public void Percentile_KnownLatencies_WithinFivePercentOfTheRawPercentiles(string shape, int seed)
    {
        var random = new Random(seed);
        var latencies = Enumerable.Range(0, 20_000).Select(_ => Draw(shape, random)).ToArray();
        var counts = new long[LatencyHistogram.BucketCount];
        foreach (var ms in latencies)
        {
            counts[LatencyHistogram.BucketOf(ms)]++;
        }

        Array.Sort(latencies);
        foreach (var q in new[] { 0.50, 0.95, 0.99 })
        {
            var exact = latencies[(int)Math.Ceiling(q * latencies.Length) - 1];
            var estimate = LatencyHistogram.Percentile(counts, q)!.Value;
            Assert.True(Math.Abs(estimate - exact) <= 0.05 * exact, $"{shape} p{q * 100}: estimate {estimate:0.###} ms, exact {exact:0.###} ms");
        }
    }

    [Fact]
    public void RollupEntity_EveryBucketSet_StaysWithinTableStoragePropertyLimit()
    {
        var buckets = Enumerable.Repeat(1L, LatencyHistogram.BucketCount).ToArray();
        var row = new RollupRecord
        {
            Task = "t", Hour = DateTimeOffset.UnixEpoch, Route = "large", Model = "m", Client = "c", Instance = "i",
            Calls = buckets.Length, LatencyBuckets = buckets, PromptVersion = "v", FirstCallAt = DateTimeOffset.UnixEpoch, LastCallAt = DateTimeOffset.UnixEpoch,
        };

        var entity = RollupEntity.ToEntity(row);

        // PartitionKey and RowKey are keys of the entity; Timestamp is added by the service: 252 properties in all.
        Assert.True(entity.Count + 1 <= 252, $"{entity.Count + 1} properties");
        Assert.Equal(buckets, RollupEntity.FromEntity(entity).LatencyBuckets);
    }

    [Fact]
    public void RollupEntity_EmptyBuckets_AreNotWrittenAndReadBackAsZero()
    {
        var buckets = new long[LatencyHistogram.BucketCount];
        buckets[40] = 7;
        var row = new RollupRecord { Task = "t", Hour = DateTimeOffset.UnixEpoch, Route = "large", Model = "m", Client = "c", Instance = "i", Calls = 7, LatencyBuckets = buckets };

        var entity = RollupEntity.ToEntity(row);

        Assert.Single(entity.Keys, k => k.Length == 6 && k.StartsWith("Lat", StringComparison.Ordinal) && char.IsDigit(k[3]));
        Assert.Equal(buckets, RollupEntity.FromEntity(entity).LatencyBuckets);
    }

    private static double Draw(string shape, Random random) => shape switch
    {
        // 0.2-3 ms, uniform: an in-process classifier.
        "fast" => 0.2 + (random.NextDouble() * 2.8),
        // median ~400 ms, sigma 0.5: a model call.
        "lognormal" => Math.Exp(Math.Log(400) + (0.5 * Normal(random))),
        // 90% around 120 ms, 10% around 2.5 s.
        _ => random.NextDouble() < 0.9 ? Math.Exp(Math.Log(120) + (0.3 * Normal(random))) : Math.Exp(Math.Log(2_500) + (0.4 * Normal(random))),
    };

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
