namespace Router.Core.Security;

/// <summary>
/// What the other instances spent on a day, per client. At fleet scale the figure comes from one
/// compacted row per client (every instance, hours before <paramref name="IncludesOwnBefore"/>)
/// plus the other instances' rows since: the compacted part then includes this instance's own
/// spend of those hours, which <see cref="ClientSpendTracker"/> (counting its own spend exactly,
/// per hour) takes out again. Null: nothing of this instance's is included.
/// </summary>
public sealed record OtherSpend(IReadOnlyDictionary<string, decimal> ByClient, DateTimeOffset? IncludesOwnBefore = null)
{
    public static OtherSpend None { get; } = new(new Dictionary<string, decimal>());
}
