using System.Globalization;
using Azure.Data.Tables;

namespace Router.Core.Ledger.Fleet;

/// <summary>
/// The compacted table (<see cref="StorageOptions.FleetRollupsTableName"/>, RouterRollupsFleet by default),
/// written only by compaction:
/// <list type="bullet">
/// <item>per task partition, one row per hour / route / model / client summed over every instance,
/// keyed like an instance row with instance <see cref="Instance"/>;</item>
/// <item>partition <see cref="StatePartition"/>, one state row per task (RowKey the task): every hour before
/// <c>CompactedBefore</c> is in the fleet rows, except hours that carry a marker (<see cref="RollupMarkers"/>);
/// one partition, so a reader of every task finds the tasks compaction reached in one query;</item>
/// <item>partition <see cref="SpendPartition"/>, for budgets (<see cref="DaySpend"/>): per day, a header row
/// <c>{yyyyMMdd}</c> (when the run wrote the day) and one row per client <c>{yyyyMMdd}-{client}</c>, the
/// day's spend over every instance and task: compacted hours from the fleet rows, open hours from the instance rows;</item>
/// <item>partitions <c>~own-{instance}</c> (<see cref="OwnSpendPartition"/>): the same client rows plus the
/// instance's own share of the open hours, for each instance the run saw in the open hours.</item>
/// </list>
/// </summary>
public static class FleetRollups
{
    public const string Instance = "fleet";

    public const string StatePartition = "~state";

    public const string SpendPartition = "~spend";

    public static TableEntity State(string task, DateTimeOffset compactedBefore) =>
        new(StatePartition, task) { ["CompactedBefore"] = compactedBefore };

    public static DateTimeOffset? CompactedBefore(TableEntity state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.GetDateTimeOffset("CompactedBefore");
    }

    /// <summary>The partition of one instance's own-share spend rows.</summary>
    public static string OwnSpendPartition(string instance) => "~own-" + instance;

    public static string DayKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string SpendRowKey(DateOnly day, string client) => DayKey(day) + "-" + client;

    /// <summary>The filter of a day's spend rows in a partition: the header <c>{day}</c> and every <c>{day}-{client}</c>.</summary>
    public static string SpendDayFilter(string partition, DateOnly day) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {DayKey(day)} and RowKey lt {DayKey(day) + "."}");
}
