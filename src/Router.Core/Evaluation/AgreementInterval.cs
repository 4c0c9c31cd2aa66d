namespace Router.Core.Evaluation;

/// <summary>
/// The share of shadow samples that agreed with the large model, with its Wilson score interval
/// (95% by default). Wilson rather than the normal approximation: it stays inside [0, 1] and is
/// honest at small counts and at rates near 1, which is exactly where a good candidate sits.
/// </summary>
public sealed record AgreementInterval(long Agreements, long Samples, double Rate, double Lower, double Upper)
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    public static readonly AgreementInterval Empty = new(0, 0, 0, 0, 1);

    /// <summary>Half the interval's width.</summary>
    public double HalfWidth => (Upper - Lower) / 2;

    /// <summary>
    /// Wilson: centre = (p + z²/2n) / (1 + z²/n), half-width = z / (1 + z²/n) x sqrt(p(1-p)/n + z²/4n²),
    /// with p = agreements / n.
    /// </summary>
    public static AgreementInterval Wilson(long agreements, long samples, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        ArgumentOutOfRangeException.ThrowIfNegative(agreements);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(agreements, samples);
        if (samples == 0)
        {
            return Empty;
        }

        double n = samples;
        var p = agreements / n;
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var half = HalfWidthAt(p, samples, z);
        return new AgreementInterval(agreements, samples, p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// Samples needed in all for a Wilson interval of at most ±<paramref name="halfWidth"/> if the
    /// observed rate holds (0.5, the widest case, before any sample): the smallest such n, found by search.
    /// </summary>
    public long SamplesFor(double halfWidth, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(halfWidth);
        var p = Samples == 0 ? 0.5 : Rate;
        long high = 1;
        while (HalfWidthAt(p, high, z) > halfWidth && high < (1L << 40))
        {
            high *= 2;
        }

        var low = high / 2;
        while (low + 1 < high)
        {
            var mid = low + ((high - low) / 2);
            if (HalfWidthAt(p, mid, z) > halfWidth)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return high;
    }

    private static double HalfWidthAt(double p, long samples, double z)
    {
        double n = samples;
        var z2 = z * z;
        return z / (1 + (z2 / n)) * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));
    }

    /// <summary>Further samples needed for <see cref="SamplesFor"/>; zero when there are enough.</summary>
    public long MoreSamplesFor(double halfWidth) => Math.Max(0, SamplesFor(halfWidth) - Samples);
}
