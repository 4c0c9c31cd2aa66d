namespace Router.Emulator.Options;

/// <summary>Settings bound from the <c>Emulator</c> configuration section.</summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>Key callers must present; null or empty turns authentication off.</summary>
    public string? ApiKey { get; set; } = "emulator-key";

    /// <summary>Multiplies every modelled latency; 0 disables modelled latency (tests, benchmarks).</summary>
    public double LatencyScale { get; set; } = 1.0;

    /// <summary>How long a <c>timeout</c> fault holds the request before giving up.</summary>
    public int TimeoutDelayMs { get; set; } = 300_000;

    /// <summary>Upper bound on generated output when the caller sets no max tokens; keeps answers cheap.</summary>
    public int DefaultOutputTokens { get; set; } = 60;

    /// <summary>How many recent requests the control API keeps for inspection.</summary>
    public int RequestLogCapacity { get; set; } = 1_000;

    /// <summary>Seed of the quality knob's choice of which inputs a deployment answers differently.</summary>
    public int QualitySeed { get; set; }

    /// <summary>The classification rule: keyword lists per label and the fallback label (see Generation/LabellingRule).</summary>
    public LabellingOptions Labelling { get; set; } = new();

    /// <summary>Per-deployment latency and standing faults; names are matched case-insensitively.</summary>
    public Dictionary<string, DeploymentOptions> Deployments { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
