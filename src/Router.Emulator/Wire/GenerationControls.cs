using System.Text.Json;

namespace Router.Emulator.Wire;

/// <summary>
/// The request parameters that steer generation beyond the messages: tools and tool choice,
/// a <c>json_schema</c> response format, stop sequences and the seed. Parsed in one place
/// (<see cref="GenerationControlsParser"/>) so the original parser stays about messages.
/// </summary>
public sealed class GenerationControls
{
    public static readonly GenerationControls None = new();

    public IReadOnlyList<ChatTool> Tools { get; init; } = [];

    public ToolChoice ToolChoice { get; init; } = ToolChoice.Auto;

    /// <summary>The tool calls replayed in assistant messages, in order: they count as prompt tokens.</summary>
    public IReadOnlyList<AssistantToolCall> ReplayedToolCalls { get; init; } = [];

    /// <summary><c>response_format.json_schema.schema</c>, when the caller asked for structured output.</summary>
    public JsonElement? JsonSchema { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];

    public long? Seed { get; init; }
}
