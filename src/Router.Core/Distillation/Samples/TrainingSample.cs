using Router.Core.Routing;

namespace Router.Core.Distillation.Samples;

/// <summary>
/// One captured training example: the prompt exactly as the small route would send it (its short
/// system prompt and the caller's messages; no few-shot examples, no retrieved context) paired with
/// a successful large-model answer that passed the task's output rules, or, when the caller offered tools,
/// the large model's tool calls (a tool call is not the final answer, so no rule applies to it).
/// </summary>
public sealed record TrainingSample
{
    public required string Task { get; init; }

    /// <summary>Hex SHA-256 of the small-format prompt: the dedup key.</summary>
    public required string InputHash { get; init; }

    public required string CallId { get; init; }

    public required DateTimeOffset CapturedAt { get; init; }

    /// <summary>The task's prompt version when captured; only examples of the current version are counted and exported.</summary>
    public required string PromptVersion { get; init; }

    /// <summary>The large model that answered.</summary>
    public required string Model { get; init; }

    /// <summary>Small-format prompt: system (if the task has one) then the caller's messages (with earlier tool calls and tool results).</summary>
    public required IReadOnlyList<CallerMessage> Messages { get; init; }

    public required string Output { get; init; }

    /// <summary>The functions the caller offered (written beside <c>messages</c> as <c>tools</c>); empty for a plain call.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>The functions the large model called in its answer; empty for a plain answer.</summary>
    public IReadOnlyList<Models.ToolCall> OutputToolCalls { get; init; } = [];
}
