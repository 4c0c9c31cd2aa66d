namespace Router.Core.Models;

/// <summary>
/// One piece of a streamed answer as it arrived from the model: a text delta, the finish
/// reason, and/or the usage the model reports in its last chunk (stream_options.include_usage).
/// </summary>
public sealed record ChatStreamUpdate(string? ContentDelta, string? FinishReason, TokenUsage? Usage, string? ResponseModel);
