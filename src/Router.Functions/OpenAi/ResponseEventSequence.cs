using System.Text;
using System.Text.Json;
using Router.Core.Models;

namespace Router.Functions.OpenAi;

/// <summary>
/// Turns a streamed answer into the Responses API's typed events, in the documented order,
/// numbered from 0: <c>response.created</c>, <c>response.in_progress</c>; for a message
/// <c>response.output_item.added</c>, <c>response.content_part.added</c>, one
/// <c>response.output_text.delta</c> per text delta, <c>response.output_text.done</c>,
/// <c>response.content_part.done</c>, <c>response.output_item.done</c>; for each function call
/// <c>response.output_item.added</c>, <c>response.function_call_arguments.delta</c>...,
/// <c>response.function_call_arguments.done</c>, <c>response.output_item.done</c>; then
/// <c>response.completed</c> (or <c>response.incomplete</c> when the output cap or a content
/// filter cut it) with the output and usage. Items follow one another: an item is done before the
/// next is added. A failure after the first byte is an <c>error</c> event (the OpenAI SDKs raise
/// it) followed by <c>response.failed</c>. Knows nothing of HTTP.
/// </summary>
public sealed class ResponseEventSequence(ResponseFrame frame, string callId)
{
    private readonly List<OpenItem> _items = [];
    private readonly Dictionary<int, OpenItem> _calls = [];
    private int _sequence;
    private OpenItem? _open;

    public IEnumerable<ResponseEvent> Start()
    {
        yield return Next("response.created", w => WriteResponse(w, ResponsesWire.InProgress));
        yield return Next("response.in_progress", w => WriteResponse(w, ResponsesWire.InProgress));
    }

    /// <summary>The events for one update from the model: text deltas go to the message, tool-call pieces to their function_call item.</summary>
    public IEnumerable<ResponseEvent> Update(ChatStreamUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.ContentDelta is { Length: > 0 } delta)
        {
            var message = _items.Find(i => i.IsMessage && i == _open);
            if (message is null)
            {
                foreach (var step in Open(OpenItem.Message(ResponseFrame.MessageId(MessageSuffix()), _items.Count)))
                {
                    yield return step;
                }

                message = _open!;
            }

            message.Content.Append(delta);
            var (id, index) = (message.Id, message.OutputIndex);
            yield return Next("response.output_text.delta", w =>
            {
                WritePosition(w, id, index);
                w.WriteString("delta", delta);
                w.WriteStartArray("logprobs");
                w.WriteEndArray();
            });
        }

        foreach (var piece in update.ToolCalls)
        {
            if (!_calls.TryGetValue(piece.Index, out var call))
            {
                call = OpenItem.Call(ResponseFrame.FunctionCallId(callId, _calls.Count), _items.Count, piece.Id ?? ResponseFrame.FunctionCallId(callId, _calls.Count), piece.Name ?? string.Empty);
                _calls[piece.Index] = call;
                foreach (var step in Open(call))
                {
                    yield return step;
                }
            }

            if (piece.ArgumentsDelta is { Length: > 0 } arguments)
            {
                call.Content.Append(arguments);
                var (id, index) = (call.Id, call.OutputIndex);
                yield return Next("response.function_call_arguments.delta", w =>
                {
                    w.WriteString("item_id", id);
                    w.WriteNumber("output_index", index);
                    w.WriteString("delta", arguments);
                });
            }
        }
    }

    /// <summary>The closing events once the model's stream ended; <paramref name="usage"/> null when the model sent none.</summary>
    public IEnumerable<ResponseEvent> End(string? finishReason, TokenUsage? usage, long completedAt)
    {
        var (status, incomplete) = ResponsesWire.StatusOf(finishReason);

        // An answer with nothing in it still carries its (empty) message, so the output is never empty.
        if (_items.Count == 0)
        {
            foreach (var step in Open(OpenItem.Message(ResponseFrame.MessageId(callId), 0)))
            {
                yield return step;
            }
        }

        foreach (var step in Close(status))
        {
            yield return step;
        }

        var output = _items.Select(i => i.Item(status)).ToArray();
        yield return Next(incomplete is null ? "response.completed" : "response.incomplete", w =>
        {
            w.WritePropertyName("response");
            ResponsesWire.WriteResponse(w, frame with { CompletedAt = completedAt }, status, output, usage, incompleteReason: incomplete);
        });
    }

    /// <summary>The model failed after the first byte: the status is already 200, so the failure is told in events.</summary>
    public IEnumerable<ResponseEvent> Fail(string code, string message)
    {
        yield return Next("error", w =>
        {
            w.WriteString("code", code);
            w.WriteString("message", message);
            w.WriteNull("param");
        });
        var output = _items.Where(i => i.Done).Select(i => i.Item(ResponsesWire.Completed)).ToArray();
        var failure = new ResponseFailure("server_error", message);
        yield return Next("response.failed", w =>
        {
            w.WritePropertyName("response");
            ResponsesWire.WriteResponse(w, frame, ResponsesWire.Failed, output, null, failure);
        });
    }

    /// <summary>The first message keeps msg_{callId}; a message after a function call (rare) gets its position as a suffix.</summary>
    private string MessageSuffix() => _items.Exists(i => i.IsMessage) ? callId + "_" + _items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : callId;

    private IEnumerable<ResponseEvent> Open(OpenItem item)
    {
        foreach (var step in Close(ResponsesWire.Completed))
        {
            yield return step;
        }

        _items.Add(item);
        _open = item;
        var (index, added) = (item.OutputIndex, item.Item(ResponsesWire.InProgress, opening: true));
        yield return Next("response.output_item.added", w =>
        {
            w.WriteNumber("output_index", index);
            w.WritePropertyName("item");
            ResponsesWire.WriteItem(w, added);
        });
        if (item.IsMessage)
        {
            var id = item.Id;
            yield return Next("response.content_part.added", w =>
            {
                WritePosition(w, id, index);
                w.WritePropertyName("part");
                ResponsesWire.WriteTextPart(w, string.Empty);
            });
        }
    }

    /// <summary>The done events of the item still open, if any.</summary>
    private IEnumerable<ResponseEvent> Close(string status)
    {
        if (_open is not { } item)
        {
            yield break;
        }

        _open = null;
        item.Done = true;
        var (id, index, text, done) = (item.Id, item.OutputIndex, item.Content.ToString(), item.Item(status));
        if (item.IsMessage)
        {
            yield return Next("response.output_text.done", w =>
            {
                WritePosition(w, id, index);
                w.WriteString("text", text);
                w.WriteStartArray("logprobs");
                w.WriteEndArray();
            });
            yield return Next("response.content_part.done", w =>
            {
                WritePosition(w, id, index);
                w.WritePropertyName("part");
                ResponsesWire.WriteTextPart(w, text);
            });
        }
        else
        {
            var name = item.Name!;
            yield return Next("response.function_call_arguments.done", w =>
            {
                w.WriteString("item_id", id);
                w.WriteString("name", name);
                w.WriteNumber("output_index", index);
                w.WriteString("arguments", text);
            });
        }

        yield return Next("response.output_item.done", w =>
        {
            w.WriteNumber("output_index", index);
            w.WritePropertyName("item");
            ResponsesWire.WriteItem(w, done);
        });
    }

    private static void WritePosition(Utf8JsonWriter writer, string itemId, int outputIndex)
    {
        writer.WriteString("item_id", itemId);
        writer.WriteNumber("output_index", outputIndex);
        writer.WriteNumber("content_index", 0);
    }

    private void WriteResponse(Utf8JsonWriter writer, string status)
    {
        writer.WritePropertyName("response");
        ResponsesWire.WriteResponse(writer, frame, status, [], null);
    }

    private ResponseEvent Next(string type, Action<Utf8JsonWriter> fields) => new(type, _sequence++, fields);

    /// <summary>An output item being built from the stream: the message's text or a function call's arguments so far.</summary>
    private sealed class OpenItem
    {
        private OpenItem(string id, int outputIndex, string? callId, string? name)
        {
            Id = id;
            OutputIndex = outputIndex;
            CallId = callId;
            Name = name;
        }

        public string Id { get; }

        public int OutputIndex { get; }

        public string? CallId { get; }

        public string? Name { get; }

        public bool IsMessage => CallId is null;

        public bool Done { get; set; }

        public StringBuilder Content { get; } = new();

        public static OpenItem Message(string id, int outputIndex) => new(id, outputIndex, null, null);

        public static OpenItem Call(string id, int outputIndex, string callId, string name) => new(id, outputIndex, callId, name);

        /// <summary>The item as the wire shows it; a function call's status is its own (completed once its arguments are whole).</summary>
        public ResponseItem Item(string status, bool opening = false) => IsMessage
            ? new MessageItem(Id, status, opening ? null : Content.ToString())
            : new FunctionCallItem(Id, opening ? ResponsesWire.InProgress : ResponsesWire.Completed, CallId!, Name!, opening ? string.Empty : Content.ToString());
    }
}
