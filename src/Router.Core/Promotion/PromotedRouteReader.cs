using Router.Core.Catalog;
using Router.Core.Evaluation;

namespace Router.Core.Promotion;

/// <summary>What storage holds about a promoted route from an hour on: its live slice (samples, agreements) and its calls and cascades.</summary>
public sealed record PromotedRouteCounts(long LiveSamples, long LiveAgreements, long RouteCalls, long RouteCascades);

/// <summary>
/// Reads the counts the rollback rule judges, from the rollups only (RouterShadowRollups for the live slice of
/// the promoted version, RouterRollups for the route's calls): the same read at promotion (the baseline of the
/// promotion's first hour) and at every check, so the rule sees only what happened after the promotion.
/// </summary>
public sealed class PromotedRouteReader(ShadowEvidenceReader evidence, CascadeRateReader cascades, TimeProvider time)
{
    public async Task<PromotedRouteCounts> ReadAsync(string task, string model, string? version, DateTimeOffset fromHour, CancellationToken cancellationToken)
    {
        var liveName = CatalogCandidate.Versioned(CatalogCandidate.LiveName(model), version);
        var live = (await evidence.ReadAsync(fromHour, time.GetUtcNow().AddHours(1), task, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(e => string.Equals(e.Candidate, liveName, StringComparison.Ordinal));
        var (calls, cascaded) = await cascades.ReadAsync(task, model, fromHour, cancellationToken).ConfigureAwait(false);
        return new PromotedRouteCounts(live?.Samples ?? 0, live?.Agreements ?? 0, calls, cascaded);
    }

    /// <summary>The start of the UTC hour holding <paramref name="at"/> (rollup rows are hourly).</summary>
    public static DateTimeOffset HourOf(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, at.UtcDateTime.Day, at.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);

    /// <summary>The live evidence since the promotion: what was read minus the baseline.</summary>
    public static PromotionEvidence LiveSince(PromotedRouteCounts counts, PromotionBaseline baseline, double bar)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(baseline);
        var samples = Math.Max(0, counts.LiveSamples - baseline.LiveSamples);
        var agreements = Math.Clamp(counts.LiveAgreements - baseline.LiveAgreements, 0, samples);
        var interval = AgreementInterval.Wilson(agreements, samples);
        return new PromotionEvidence(samples, agreements, interval.Rate, interval.Lower, interval.Upper, null, bar);
    }

}
