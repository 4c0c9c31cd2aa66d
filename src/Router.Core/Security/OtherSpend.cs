namespace Router.Core.Security;

/// <summary>
/// What the other instances spent on a day, per client (<see cref="ClientSpend"/>). At fleet scale a
/// client's figure comes from compaction's spend rows, which cover every instance, this one included;
/// each figure says which part of this instance's own spend it holds, so that
/// <see cref="ClientSpendTracker"/> (counting its own spend exactly) takes it out again.
/// </summary>
public sealed record OtherSpend(IReadOnlyDictionary<string, ClientSpend> ByClient)
{
    public static OtherSpend None { get; } = new(new Dictionary<string, ClientSpend>());
}

/// <summary>
/// One client's spend of the day by the fleet. <paramref name="Usd"/> includes this instance's own spend of
/// hours before <paramref name="IncludesOwnBefore"/> (compacted hours: the tracker takes out what it counted
/// itself in those hours) and exactly <paramref name="OwnIncludedSince"/> of its spend of later hours (the
/// compaction run's read of this instance's rows). Null <paramref name="IncludesOwnBefore"/> and 0: nothing of
/// this instance's.
/// </summary>
public readonly record struct ClientSpend(decimal Usd, DateTimeOffset? IncludesOwnBefore = null, decimal OwnIncludedSince = 0);
