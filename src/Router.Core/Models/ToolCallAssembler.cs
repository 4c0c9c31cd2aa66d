using System.Text;

namespace Router.Core.Models;

/// <summary>
/// Rebuilds whole tool calls from the pieces of a streamed answer (<see cref="ToolCallDelta"/>): a call's
/// first piece names its id and function, the rest append to its arguments, by index. Not thread-safe:
/// one stream, one reader.
/// </summary>
public sealed class ToolCallAssembler
{
    private readonly SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)> _calls = [];

    /// <summary>Nothing was added yet.</summary>
    public bool IsEmpty => _calls.Count == 0;

    public void Add(ToolCallDelta piece)
    {
        ArgumentNullException.ThrowIfNull(piece);
        if (!_calls.TryGetValue(piece.Index, out var call))
        {
            call = (null, null, new StringBuilder());
        }

        call.Arguments.Append(piece.ArgumentsDelta);
        _calls[piece.Index] = (call.Id ?? piece.Id, call.Name ?? piece.Name, call.Arguments);
    }

    /// <summary>The calls so far, in index order.</summary>
    public IReadOnlyList<ToolCall> Calls() =>
        _calls.Values.Select(c => new ToolCall(c.Id ?? string.Empty, c.Name ?? string.Empty, c.Arguments.ToString())).ToList();

    /// <summary>Function names and argument text, for a token estimate when the model's usage never came.</summary>
    public string Text() => string.Concat(_calls.Values.Select(c => c.Name + c.Arguments));
}
