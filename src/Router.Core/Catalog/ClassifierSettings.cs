namespace Router.Core.Catalog;

/// <summary>Validated training settings of a local classifier.</summary>
public sealed record ClassifierSettings(ClassifierAlgorithm Trainer, int MinSamples, double HoldOutFraction, int Seed)
{
    public static ClassifierSettings From(ClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ClassifierSettings(ClassifierAlgorithmNames.Parse(options.Trainer)!.Value, options.MinSamples, options.HoldOutFraction, options.Seed);
    }
}

/// <summary>The ML.NET multiclass trainer a local classifier uses.</summary>
public enum ClassifierAlgorithm
{
    SdcaMaximumEntropy,
    LbfgsMaximumEntropy,
}

public static class ClassifierAlgorithmNames
{
    public static ClassifierAlgorithm? Parse(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "sdca" => ClassifierAlgorithm.SdcaMaximumEntropy,
        "lbfgs" => ClassifierAlgorithm.LbfgsMaximumEntropy,
        _ => null,
    };

    public static string ToWire(this ClassifierAlgorithm trainer) => trainer == ClassifierAlgorithm.LbfgsMaximumEntropy ? "lbfgs" : "sdca";
}
