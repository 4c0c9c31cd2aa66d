using Router.Core.Catalog;
using Router.Core.Models;

namespace Router.Core.Routing;

/// <summary>
/// An answer the caller asked to stream. Either relayed live from the model
/// (<see cref="StreamedCall"/>), or, when the flow had to buffer it to check and cascade it,
/// replayed from the complete answer (<see cref="BufferedAnswer"/>). The writer reads both
/// the same way; disposing it records a live stream that was not read to the end.
/// </summary>
public interface IStreamedAnswer : IAsyncDisposable
{
    string CallId { get; }

    RouteTarget Route { get; }

    CatalogModel Model { get; }

    bool Fallback { get; }

    /// <summary>The caller's total cost when already known before the first byte (a buffered answer); null for a live stream.</summary>
    decimal? KnownCostUsd { get; }

    /// <summary>The caller's total cost once the stream ended; null when it is not known.</summary>
    decimal? FinalCostUsd { get; }

    IAsyncEnumerable<ChatStreamUpdate> ReadAsync();
}
