using System.Globalization;
using Azure.Data.Tables;

namespace Router.Core.Ledger.Fleet;

/// <summary>
/// The compacted table (<see cref="StorageOptions.FleetRollupsTableName"/>, RouterRollupsFleet by default),
/// written only by compaction:
/// <list type="bullet">
/// <item>per task partition, one row per hour / route / model / client summed over every instance,
/// keyed like an instance row with instance <see cref="Instance"/>;</item>
/// <item>per task partition, the state row <see cref="StateRowKey"/>: every hour before
/// <c>CompactedBefore</c> is in the fleet rows, except hours that carry a marker (<see cref="RollupMarkers"/>);</item>
/// <item>partition <see cref="SpendPartition"/>: one row per day and client (<c>{yyyyMMdd}-{client}</c>), the
/// spend of the day's compacted hours over every instance and task, for budgets.</item>
/// </list>
/// </summary>
public static class FleetRollups
{
    public const string Instance = "fleet";

    public const string StateRowKey = "~state";

    public const string SpendPartition = "~spend";

    public static TableEntity State(string task, DateTimeOffset compactedBefore) =>
        new(task, StateRowKey) { ["CompactedBefore"] = compactedBefore };

    public static DateTimeOffset? CompactedBefore(TableEntity state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.GetDateTimeOffset("CompactedBefore");
    }

    public static string SpendRowKey(DateOnly day, string client) =>
        string.Create(CultureInfo.InvariantCulture, $"{day:yyyyMMdd}-{client}");

    public static string SpendDayPrefix(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-";

    public static TableEntity Spend(DateOnly day, string client, long costNanoUsd, DateTimeOffset through) =>
        new(SpendPartition, SpendRowKey(day, client)) { ["Client"] = client, ["CostNanoUsd"] = costNanoUsd, ["Through"] = through };
}
