namespace Router.Core.Ledger;

/// <summary>What one RouterRollups row of one instance covers: a task, a UTC hour, a route, a model and a client.</summary>
public readonly record struct RollupKey(string Task, DateTimeOffset Hour, string Route, string Model, string Client)
{
    public static RollupKey Of(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new RollupKey(record.Task, HourOf(record.Timestamp), record.Route, record.Model, record.Client);
    }

    /// <summary>The start of the UTC hour holding the instant.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerHour), TimeSpan.Zero);
    }
}
