using Router.Core.Routing;

namespace Router.Core.Models;

public sealed record ChatModelRequest(IReadOnlyList<PromptMessage> Messages, int? MaxOutputTokens, double? Temperature, bool JsonOutput)
{
    /// <summary>The caller's generation parameters (top_p, stop, seed, ...), sent as given.</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.None;

    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    public ToolChoice? ToolChoice { get; init; }

    /// <summary>The caller's structured-output format; when set it replaces <see cref="JsonOutput"/>'s plain JSON mode.</summary>
    public CallerFormat? Format { get; init; }

    /// <summary>The version a versioned model must answer with (a promoted local classifier's pinned version); null: the one it serves now.</summary>
    public string? ModelVersion { get; init; }
}
