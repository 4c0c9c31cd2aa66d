using System.Globalization;
using Azure.Data.Tables;

namespace Router.Core.Ledger.Fleet;

/// <summary>
/// "This instance changed this hour": a row <c>~dirty-{yyyyMMddHH}-{instance}</c> in the task's
/// RouterRollups partition, written in the same entity-group transaction as the hour's rollup rows,
/// so a rollup change is never committed without its marker. Compaction folds every marked hour and
/// deletes the marker only if it is unchanged since it was read (If-Match), so a write that lands
/// during a compaction keeps its marker and is folded by the next run. Marker keys sort after every
/// hour key ('~' follows the digits), so hour-range reads never see them.
/// </summary>
public static class RollupMarkers
{
    public const string Prefix = "~dirty-";

    /// <summary>The first key after every marker key.</summary>
    public const string End = "~dirty.";

    public static string RowKey(DateTimeOffset hour, string instance) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{RollupEntity.HourPrefix(hour)}-{instance}");

    public static TableEntity ToEntity(string task, DateTimeOffset hour, string instance) =>
        new(task, RowKey(hour, instance)) { ["Hour"] = hour, ["Instance"] = instance };

    /// <summary>The hour a marker key names.</summary>
    public static DateTimeOffset HourOf(string rowKey)
    {
        ArgumentNullException.ThrowIfNull(rowKey);
        return RollupEntity.ParseHour(rowKey.AsSpan(Prefix.Length));
    }
}
