namespace Router.Core.Catalog;

/// <summary>How a <c>local-classifier</c> model is trained (<c>Router:Models:{m}:Classifier</c>).</summary>
public sealed class ClassifierOptions
{
    /// <summary>sdca (SDCA maximum entropy, the default) | lbfgs (L-BFGS maximum entropy).</summary>
    public string? Trainer { get; set; } = "sdca";

    /// <summary>Fewest eligible samples a training run accepts.</summary>
    public int MinSamples { get; set; } = 100;

    /// <summary>Share of the samples held out to measure the trained version (0.05..0.5).</summary>
    public double HoldOutFraction { get; set; } = 0.2;

    /// <summary>Seed of the held-out split and the trainer: same samples and settings, same version.</summary>
    public int Seed { get; set; } = 42;
}
