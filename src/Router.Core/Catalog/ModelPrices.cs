namespace Router.Core.Catalog;

/// <summary>Prices of one deployment, USD; token prices per 1M tokens.</summary>
public sealed record ModelPrices(
    decimal InputPerMillion,
    decimal CachedInputPerMillion,
    decimal OutputPerMillion,
    decimal HostingPerHour,
    decimal TrainingPerMillion,
    DateOnly EffectiveDate,
    DateOnly? RetiresOn)
{
    /// <summary>Recorded with each call so that a later price change never rewrites history.</summary>
    /// <summary>A flat price per call on top of the token prices (a local classifier's compute); zero by default.</summary>
    public decimal PerCall { get; init; }

    public string Version => EffectiveDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
