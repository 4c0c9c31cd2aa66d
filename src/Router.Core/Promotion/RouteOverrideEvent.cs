namespace Router.Core.Promotion;

/// <summary>One step of a task's route lifecycle (RouterRouteOverrides history rows), newest first when read.</summary>
public sealed record RouteOverrideEvent
{
    public const string Promoted = "promoted";
    public const string Restored = "restored";
    public const string RolledBack = "rolled-back";

    public required string Task { get; init; }

    /// <summary>promoted | restored (DELETE, by a person) | rolled-back (automatic, by the rule).</summary>
    public required string Kind { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>The admin client, or "router" for an automatic rollback.</summary>
    public required string By { get; init; }

    public required string Candidate { get; init; }

    public required string Model { get; init; }

    public string? Version { get; init; }

    public required string Reason { get; init; }

    public bool Forced { get; init; }

    /// <summary>The evidence the step rested on (at promotion; the live evidence that triggered a rollback).</summary>
    public PromotionEvidence? Evidence { get; init; }
}
