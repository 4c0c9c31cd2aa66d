using Router.Core.Catalog;
using Router.Core.Security;

namespace Router.Core.Routing;

/// <summary>
/// A validated call, parsed once from the wire by the API's function: the resolved task, who asked,
/// and what they sent. New API parameters are added here (as init properties) and read by the plan.
/// </summary>
public sealed record RouteRequest(
    CatalogTask Task,
    ClientIdentity Client,
    IReadOnlyList<CallerMessage> Messages,
    string? Context,
    int? MaxOutputTokens,
    double? Temperature,
    string Api,
    long StartTimestamp)
{
    /// <summary>The caller asked for the answer as a stream (server-sent events).</summary>
    public bool Stream { get; init; }

    /// <summary>Generation parameters passed through to the model as given (top_p, stop, seed, penalties, ...).</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.None;

    /// <summary>The caller's metadata (OpenAI's up to 16 string pairs); null when none was sent.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Functions the caller offers the model; empty when none.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>How the model may use <see cref="Tools"/>; null leaves it to the model (auto).</summary>
    public ToolChoice? ToolChoice { get; init; }

    /// <summary>The output format the caller asked for (JSON or a JSON schema); null for text. An output rule for this call.</summary>
    public CallerFormat? Format { get; init; }

    /// <summary>
    /// The output cap sent upstream: the task's MaxOutputTokens is a ceiling, so a larger caller
    /// value is capped to it, never lifted above it; a smaller one is kept (<see cref="CatalogTask.OutputTokenCap"/>).
    /// </summary>
    public int? OutputTokenLimit => Task.OutputTokenCap(MaxOutputTokens);
}
