using System.Globalization;

namespace Router.Core.Ledger;

/// <summary>
/// Fixed, log-spaced latency buckets (milliseconds) shared by every writer and reader of rollups,
/// so histograms from different instances and hours can simply be added. Bucket 0 holds
/// [0, 1 ms]; bucket i (1..<see cref="LastBound"/>) holds (1.1^(i-1), 1.1^i] ms, up to 1.1^133 ≈ 320 s;
/// the last bucket holds everything slower. A percentile is interpolated inside the bucket that
/// holds its rank, so it can be off by at most one bucket width (10%), and by far less when the
/// latencies inside a bucket are spread (the usual case); see docs/ledger.md "Latency histogram".
/// </summary>
public static class LatencyHistogram
{
    /// <summary>Each bucket's upper bound is this factor times the previous one.</summary>
    public const double Growth = 1.1;

    /// <summary>Exponent of the last bound: 1.1^133 ≈ 320,000 ms, the first bound past 300 s.</summary>
    public const int LastBound = 133;

    /// <summary>Upper bounds of buckets 0..n-2 (1.1^0 .. 1.1^133 ms); the last bucket is everything above the last bound.</summary>
    public static readonly double[] UpperBoundsMs = Enumerable.Range(0, LastBound + 1).Select(i => Math.Pow(Growth, i)).ToArray();

    public static int BucketCount => UpperBoundsMs.Length + 1;

    /// <summary>
    /// Column name of bucket i in RouterRollups ("Lat000".."Lat134"). Three digits on purpose: the
    /// earlier 15-bucket layout used "Lat00".."Lat14", so its rows are never read with these bounds.
    /// Writers store only non-zero buckets (a missing column is 0), keeping rows small.
    /// </summary>
    public static string Column(int bucket) => "Lat" + bucket.ToString("D3", CultureInfo.InvariantCulture);

    /// <summary>Every bucket's column, for reads that project the histogram (<see cref="RollupRead.Columns"/>).</summary>
    public static IReadOnlyList<string> Columns { get; } = Enumerable.Range(0, BucketCount).Select(Column).ToArray();

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
                var upper = i < UpperBoundsMs.Length ? UpperBoundsMs[i] : UpperBoundsMs[^1] * Growth;
                var within = (rank - seen) / counts[i];
                return lower + ((upper - lower) * Math.Clamp(within, 0, 1));
            }

            seen += counts[i];
        }

        return UpperBoundsMs[^1];
    }
}
