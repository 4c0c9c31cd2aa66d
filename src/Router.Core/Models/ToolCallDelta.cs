namespace Router.Core.Models;

/// <summary>
/// A piece of a streamed tool call: the first for an index names its id and function, the rest
/// carry fragments of the arguments text, in order.
/// </summary>
public sealed record ToolCallDelta(int Index, string? Id, string? Name, string? ArgumentsDelta);
