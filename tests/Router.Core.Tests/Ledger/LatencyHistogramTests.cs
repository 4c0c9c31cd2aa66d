using Router.Core.Ledger;

namespace Router.Core.Tests.Ledger;

public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 0)]
    [InlineData(5.01, 1)]
    [InlineData(10, 1)]
    [InlineData(99.9, 4)]
    [InlineData(120_000, 13)]
    [InlineData(500_000, 14)]
    public void BucketOf_Boundaries_UpperBoundIsInclusive(double ms, int bucket) =>
        Assert.Equal(bucket, LatencyHistogram.BucketOf(ms));

    [Fact]
    public void Percentile_Empty_IsNull() =>
        Assert.Null(LatencyHistogram.Percentile(new long[LatencyHistogram.BucketCount], 0.5));

    [Fact]
    public void Percentile_AllInOneBucket_InterpolatesInsideIt()
    {
        var counts = new long[LatencyHistogram.BucketCount];
        counts[LatencyHistogram.BucketOf(30)] = 100; // bucket (25, 50]

        Assert.Equal(37.5, LatencyHistogram.Percentile(counts, 0.5)!.Value, 9);
        Assert.Equal(48.75, LatencyHistogram.Percentile(counts, 0.95)!.Value, 9);
        Assert.Equal(50, LatencyHistogram.Percentile(counts, 1.0)!.Value, 9);
    }

    [Fact]
    public void Percentile_TwoBuckets_RankFallsInTheRightBucket()
    {
        var counts = new long[LatencyHistogram.BucketCount];
        counts[0] = 90; // (0, 5]
        counts[7] = 10; // (500, 1000]

        // p50: rank 50 of 90 in bucket 0 -> 5 * 50/90.
        Assert.Equal(5 * 50 / 90.0, LatencyHistogram.Percentile(counts, 0.5)!.Value, 9);
        // p95: rank 95 -> 5 into the 10 of bucket 7 -> 500 + 500 * 0.5.
        Assert.Equal(750, LatencyHistogram.Percentile(counts, 0.95)!.Value, 9);
        // p99: rank 99 -> 9 of 10 -> 500 + 450.
        Assert.Equal(950, LatencyHistogram.Percentile(counts, 0.99)!.Value, 9);
    }

    [Fact]
    public void Percentile_OverflowBucket_UsesTwiceTheLastBound()
    {
        var counts = new long[LatencyHistogram.BucketCount];
        counts[^1] = 2;

        Assert.Equal(180_000, LatencyHistogram.Percentile(counts, 0.5)!.Value, 9);
    }
}
