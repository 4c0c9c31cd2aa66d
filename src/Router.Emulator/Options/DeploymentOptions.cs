using Router.Emulator.Faults;

namespace Router.Emulator.Options;

/// <summary>Overrides for one deployment; anything left null falls back to the name-based defaults.</summary>
public sealed class DeploymentOptions
{
    public double? TimeToFirstTokenMs { get; set; }

    public double? PerOutputTokenMs { get; set; }

    /// <summary>A fault active from start-up, as if set through the control API.</summary>
    public FaultSpec? Fault { get; set; }

    /// <summary>Share (0..1) of answers that deliberately differ from the reference answer for the same input (see Quality/QualityKnob).</summary>
    public double? Disagreement { get; set; }
}
