using System.Text.Json;

namespace Router.Emulator.Wire;

/// <summary>The parts of a chat completions body the emulator acts on.</summary>
public sealed class ChatRequest
{
    public required string Deployment { get; init; }

    public required IReadOnlyList<ChatMessageText> Messages { get; init; }

    /// <summary>The messages array exactly as received, detached from the request's pooled buffers.</summary>
    public required JsonElement RawMessages { get; init; }

    public bool Stream { get; init; }

    public bool IncludeUsageInStream { get; init; }

    /// <summary><c>max_completion_tokens</c>, else <c>max_tokens</c>; null when neither is set.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>True for <c>response_format</c> json_object or json_schema.</summary>
    public bool JsonResponseFormat { get; init; }

    /// <summary>Tools, tool choice, json_schema, stop and seed.</summary>
    public GenerationControls Controls { get; init; } = GenerationControls.None;

    /// <summary>Every top-level parameter but <c>messages</c>, as received: what tests check the router forwarded.</summary>
    public JsonElement? RawParameters { get; init; }
}
