using Router.Core.Catalog;

namespace Router.Core.Classifier;

/// <summary>What is stored beside a trained version's model (metrics.json): where it came from and how it did on held-out samples.</summary>
public sealed record ClassifierVersionInfo
{
    public required string Model { get; init; }

    public required string Task { get; init; }

    public required string Version { get; init; }

    /// <summary>sdca | lbfgs, with the ML.NET version that trained it.</summary>
    public required string Trainer { get; init; }

    public required DateTimeOffset TrainedAt { get; init; }

    /// <summary>Eligible samples used (train + held out).</summary>
    public required int Samples { get; init; }

    public required double HoldOutFraction { get; init; }

    public required int Seed { get; init; }

    public required double TrainingSeconds { get; init; }

    public required ClassifierMetrics Metrics { get; init; }

    public static string TrainerName(ClassifierSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Trainer.ToWire() + "@ml.net-" + typeof(Microsoft.ML.MLContext).Assembly.GetName().Version?.ToString(3);
    }
}
