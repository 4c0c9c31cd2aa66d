using System.Text;
using System.Text.Json;
using Router.Core.Models;

namespace Router.Functions.OpenAi;

/// <summary>
/// Turns a streamed answer into the Responses API's typed events, in the documented order,
/// numbered from 0: <c>response.created</c>, <c>response.in_progress</c>; for the message
/// <c>response.output_item.added</c>, <c>response.content_part.added</c>, one
/// <c>response.output_text.delta</c> per text delta, <c>response.output_text.done</c>,
/// <c>response.content_part.done</c>, <c>response.output_item.done</c>; then
/// <c>response.completed</c> (or <c>response.incomplete</c> when the output cap or a content
/// filter cut it) with the output and usage. A failure after the first byte is an <c>error</c>
/// event (the OpenAI SDKs raise it) followed by <c>response.failed</c>. Knows nothing of HTTP.
/// </summary>
public sealed class ResponseEventSequence(ResponseFrame frame, string callId)
{
    private readonly StringBuilder _text = new();
    private readonly List<ResponseItem> _done = [];
    private int _sequence;
    private bool _messageOpen;

    public IEnumerable<ResponseEvent> Start()
    {
        yield return Next("response.created", w => WriteResponse(w, ResponsesWire.InProgress, null));
        yield return Next("response.in_progress", w => WriteResponse(w, ResponsesWire.InProgress, null));
    }

    /// <summary>The events for one update from the model: text deltas open the message on the first one.</summary>
    public IEnumerable<ResponseEvent> Update(ChatStreamUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.ContentDelta is not { Length: > 0 } delta)
        {
            yield break;
        }

        foreach (var opened in OpenMessage())
        {
            yield return opened;
        }

        _text.Append(delta);
        var index = OutputIndex;
        yield return Next("response.output_text.delta", w =>
        {
            WritePosition(w, index);
            w.WriteString("delta", delta);
            w.WriteStartArray("logprobs");
            w.WriteEndArray();
        });
    }

    /// <summary>The closing events once the model's stream ended; <paramref name="usage"/> null when the model sent none.</summary>
    public IEnumerable<ResponseEvent> End(string? finishReason, TokenUsage? usage, long completedAt)
    {
        var (status, incomplete) = ResponsesWire.StatusOf(finishReason);

        // An answer with no text still carries its (empty) message, so the output is never empty.
        foreach (var opened in OpenMessage())
        {
            yield return opened;
        }

        var index = OutputIndex;
        var text = _text.ToString();
        var message = new MessageItem(MessageId, status, text);
        yield return Next("response.output_text.done", w =>
        {
            WritePosition(w, index);
            w.WriteString("text", text);
            w.WriteStartArray("logprobs");
            w.WriteEndArray();
        });
        yield return Next("response.content_part.done", w =>
        {
            WritePosition(w, index);
            w.WritePropertyName("part");
            ResponsesWire.WriteTextPart(w, text);
        });
        yield return Next("response.output_item.done", w =>
        {
            w.WriteNumber("output_index", index);
            w.WritePropertyName("item");
            ResponsesWire.WriteItem(w, message);
        });
        _done.Add(message);
        _messageOpen = false;

        var output = _done.ToArray();
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
        var output = _done.ToArray();
        var failure = new ResponseFailure("server_error", message);
        yield return Next("response.failed", w =>
        {
            w.WritePropertyName("response");
            ResponsesWire.WriteResponse(w, frame, ResponsesWire.Failed, output, null, failure);
        });
    }

    private string MessageId => ResponseFrame.MessageId(callId);

    private int OutputIndex => _done.Count;

    private IEnumerable<ResponseEvent> OpenMessage()
    {
        if (_messageOpen)
        {
            yield break;
        }

        _messageOpen = true;
        var index = OutputIndex;
        var opened = new MessageItem(MessageId, ResponsesWire.InProgress, null);
        yield return Next("response.output_item.added", w =>
        {
            w.WriteNumber("output_index", index);
            w.WritePropertyName("item");
            ResponsesWire.WriteItem(w, opened);
        });
        yield return Next("response.content_part.added", w =>
        {
            WritePosition(w, index);
            w.WritePropertyName("part");
            ResponsesWire.WriteTextPart(w, string.Empty);
        });
    }

    private void WritePosition(Utf8JsonWriter writer, int outputIndex)
    {
        writer.WriteString("item_id", MessageId);
        writer.WriteNumber("output_index", outputIndex);
        writer.WriteNumber("content_index", 0);
    }

    private void WriteResponse(Utf8JsonWriter writer, string status, TokenUsage? usage)
    {
        writer.WritePropertyName("response");
        ResponsesWire.WriteResponse(writer, frame, status, [], usage);
    }

    private ResponseEvent Next(string type, Action<Utf8JsonWriter> fields) => new(type, _sequence++, fields);
}
