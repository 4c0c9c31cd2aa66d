using Router.Core.Routing;

namespace Router.Core.Models;

public sealed record ChatModelRequest(IReadOnlyList<PromptMessage> Messages, int? MaxOutputTokens, double? Temperature, bool JsonOutput)
{
    /// <summary>The caller's generation parameters (top_p, stop, seed, ...), sent as given.</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.None;
}
