namespace Router.Core.Promotion;

/// <summary>Promoted routes and their automatic rollback (<c>Router:RouteOverrides</c>).</summary>
public sealed class RouteOverrideOptions
{
    public const string SectionName = "Router:RouteOverrides";

    /// <summary>How often every instance reads the promoted routes and checks the rollback rule (no restart).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How far back a promotion looks for the candidate's shadow evidence.</summary>
    public int EvidenceDays { get; set; } = 7;

    /// <summary>A promoted route whose cascade rate over the last hour exceeds this is rolled back (0..1).</summary>
    public double MaxCascadeRate { get; set; } = 0.5;

    /// <summary>Fewest calls on the promoted route in the last hour before its cascade rate can roll it back.</summary>
    public int CascadeMinCalls { get; set; } = 20;
}
