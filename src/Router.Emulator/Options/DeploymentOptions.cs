using Router.Emulator.Faults;

namespace Router.Emulator.Options;

/// <summary>Overrides for one deployment; anything left null falls back to the name-based defaults.</summary>
public sealed class DeploymentOptions
{
    public double? TimeToFirstTokenMs { get; set; }

    public double? PerOutputTokenMs { get; set; }

    /// <summary>A fault active from start-up, as if set through the control API.</summary>
    public FaultSpec? Fault { get; set; }
}
