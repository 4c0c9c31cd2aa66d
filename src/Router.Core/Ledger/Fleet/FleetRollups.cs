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
/// <item>partitions <c>~day-{task}</c> (<see cref="DayPartition"/>): closed days folded from the fleet hour rows,
/// one row per day / route / model / client / prompt version (<see cref="DayEntity"/>), for reads of whole days;</item>
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

    public static TableEntity State(string task, CompactionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var entity = new TableEntity(StatePartition, task) { ["CompactedBefore"] = state.CompactedBefore };
        if (state.DaysBefore is { } days)
        {
            entity["DaysCompactedBefore"] = days;
        }

        return entity;
    }

    public static CompactionState? StateOf(TableEntity state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.GetDateTimeOffset("CompactedBefore") is { } before ? new CompactionState(before, state.GetDateTimeOffset("DaysCompactedBefore")) : null;
    }

    /// <summary>The partition of one task's day rows: one row per day / route / model / client / prompt version.</summary>
    public static string DayPartition(string task) => "~day-" + task;

    /// <summary>A day row's key: <c>{yyyyMMdd}-{route}-{model}-{client}-{prompt version}</c> (the version made key-safe).</summary>
    public static string DayRowKey(DateOnly day, string route, string model, string client, string? promptVersion) =>
        string.Create(CultureInfo.InvariantCulture, $"{DayKey(day)}-{route}-{model}-{client}-{KeySafe(promptVersion ?? "none")}");

    /// <summary>A day row: the day's figures of one route / model / client / prompt version; its Hour is the first hour they cover.</summary>
    public static TableEntity DayEntity(RollupRecord day)
    {
        ArgumentNullException.ThrowIfNull(day);
        var entity = RollupEntity.ToEntity(day);
        entity.PartitionKey = DayPartition(day.Task);
        entity.RowKey = DayRowKey(DateOnly.FromDateTime(day.Hour.UtcDateTime), day.Route, day.Model, day.Client, day.PromptVersion);
        return entity;
    }

    /// <summary>The start of the UTC day holding the instant.</summary>
    public static DateTimeOffset DayOf(DateTimeOffset instant) => new(instant.UtcDateTime.Date, TimeSpan.Zero);

    private static string KeySafe(string value) =>
        new(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '_').Take(64).ToArray());

    /// <summary>The partition of one instance's own-share spend rows.</summary>
    public static string OwnSpendPartition(string instance) => "~own-" + instance;

    public static string DayKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string SpendRowKey(DateOnly day, string client) => DayKey(day) + "-" + client;

    /// <summary>The filter of a day's spend rows in a partition: the header <c>{day}</c> and every <c>{day}-{client}</c>.</summary>
    public static string SpendDayFilter(string partition, DateOnly day) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {DayKey(day)} and RowKey lt {DayKey(day) + "."}");
}
