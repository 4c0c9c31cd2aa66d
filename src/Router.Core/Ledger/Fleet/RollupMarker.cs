using Azure;

namespace Router.Core.Ledger.Fleet;

/// <summary>One marker row as read (<see cref="RollupStore.MarkersAsync"/>): its task, key, hour and ETag.</summary>
public sealed record RollupMarker(string Task, string RowKey, DateTimeOffset Hour, ETag ETag);
