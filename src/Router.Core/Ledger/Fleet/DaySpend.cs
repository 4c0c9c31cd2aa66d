using Azure.Data.Tables;

namespace Router.Core.Ledger.Fleet;

/// <summary>
/// One client's spend of one UTC day over the fleet, as one compaction run (<paramref name="AsOf"/>) read it:
/// <paramref name="CompactedNanoUsd"/> in hours before <paramref name="Through"/> (the fleet rows, every
/// instance), <paramref name="OpenNanoUsd"/> in hours from <paramref name="Through"/> on (every instance's
/// rows as read), and, in an instance's own copy, <paramref name="OwnOpenNanoUsd"/>: that instance's share of
/// the open part. The header row of a day has an empty <paramref name="Client"/>. Rows of one run are
/// self-consistent, which is what lets a budget take its own share out exactly (docs/ledger.md,
/// "Budgets at fleet scale").
/// </summary>
public sealed record DaySpend(string Client, long CompactedNanoUsd, long OpenNanoUsd, long OwnOpenNanoUsd, DateTimeOffset Through, DateTimeOffset AsOf)
{
    public long TotalNanoUsd => CompactedNanoUsd + OpenNanoUsd;

    public TableEntity ToEntity(string partition, DateOnly day)
    {
        var key = Client.Length == 0 ? FleetRollups.DayKey(day) : FleetRollups.SpendRowKey(day, Client);
        return new TableEntity(partition, key)
        {
            ["Client"] = Client,
            ["CostNanoUsd"] = CompactedNanoUsd,
            ["OpenCostNanoUsd"] = OpenNanoUsd,
            ["OwnOpenCostNanoUsd"] = OwnOpenNanoUsd,
            ["Through"] = Through,
            ["AsOf"] = AsOf,
        };
    }

    public static DaySpend? FromEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.GetDateTimeOffset("Through") is { } through && entity.GetDateTimeOffset("AsOf") is { } asOf
            ? new DaySpend(entity.GetString("Client") ?? string.Empty, entity.GetInt64("CostNanoUsd") ?? 0, entity.GetInt64("OpenCostNanoUsd") ?? 0, entity.GetInt64("OwnOpenCostNanoUsd") ?? 0, through, asOf)
            : null; // a row of an older version (no AsOf): not a figure to trust
    }
}
