using Router.Core.Routing;

namespace Router.Core.Distillation.Samples;

/// <summary>
/// Keeps training examples off the request path. <see cref="Offer"/> is called after a successful
/// large-model answer; it decides (capture rate, output rules, size) and enqueues without waiting.
/// It never blocks and never throws.
/// </summary>
public interface ISampleCapture
{
    /// <summary>True when the example was queued for writing.</summary>
    /// <param name="toolCalls">The functions the large model called (empty for a plain answer).</param>
    bool Offer(RouteRequest request, string callId, string largeModel, string output, IReadOnlyList<Models.ToolCall> toolCalls);

    /// <summary>Examples waiting to be written.</summary>
    int QueueDepth { get; }
}
