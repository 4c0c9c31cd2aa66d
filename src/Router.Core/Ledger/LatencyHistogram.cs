namespace Router.Core.Ledger;

/// <summary>
/// Fixed latency buckets (milliseconds) shared by every writer and reader of rollups, so
/// histograms from different instances and hours can simply be added. Percentiles are read
/// back by linear interpolation inside the bucket that holds them.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>Upper bounds of buckets 0..n-2; the last bucket is everything above the last bound.</summary>
    public static readonly double[] UpperBoundsMs = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000];

    public static int BucketCount => UpperBoundsMs.Length + 1;

    /// <summary>Column name of bucket i in RouterRollups.</summary>
    public static string Column(int bucket) => "Lat" + bucket.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    public static int BucketOf(double milliseconds)
    {
        var index = Array.BinarySearch(UpperBoundsMs, milliseconds);
        return index >= 0 ? index : ~index;
    }

    /// <summary>The q-quantile (0..1) of a histogram, or null when it is empty.</summary>
    public static double? Percentile(IReadOnlyList<long> counts, double q)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var total = counts.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = q * total;
        long seen = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            if (seen + counts[i] >= rank)
            {
                var lower = i == 0 ? 0 : UpperBoundsMs[i - 1];
                var upper = i < UpperBoundsMs.Length ? UpperBoundsMs[i] : UpperBoundsMs[^1] * 2;
                var within = (rank - seen) / counts[i];
                return lower + ((upper - lower) * Math.Clamp(within, 0, 1));
            }

            seen += counts[i];
        }

        return UpperBoundsMs[^1];
    }
}
