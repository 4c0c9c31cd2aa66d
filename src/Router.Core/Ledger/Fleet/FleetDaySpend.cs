namespace Router.Core.Ledger.Fleet;

/// <summary>
/// A day's budget rows as <see cref="RollupStore.FleetSpendAsync"/> read them: the header (null: compaction
/// has not written the day), the shared row per client and this instance's own copies per client.
/// </summary>
public sealed record FleetDaySpend(DaySpend? Header, IReadOnlyDictionary<string, DaySpend> Shared, IReadOnlyDictionary<string, DaySpend> Own)
{
    /// <summary>
    /// Per client, the row to use: the instance's own copy when it is from the same run as the shared row
    /// or a later one (each copy is self-consistent); otherwise the shared row, whose run saw none of this
    /// instance's spend of the client's open hours (it would have rewritten the copy first).
    /// </summary>
    public IEnumerable<DaySpend> ByClient()
    {
        foreach (var (client, shared) in Shared)
        {
            yield return Own.TryGetValue(client, out var own) && own.AsOf >= shared.AsOf ? own : shared with { OwnOpenNanoUsd = 0 };
        }

        foreach (var (client, own) in Own)
        {
            if (!Shared.ContainsKey(client))
            {
                yield return own;
            }
        }
    }
}
