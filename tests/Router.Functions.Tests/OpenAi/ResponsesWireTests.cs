using System.Buffers;
using System.Text;
using System.Text.Json;
using Router.Core.Models;
using Router.Core.Routing;
using Router.Functions.OpenAi;

namespace Router.Functions.Tests.OpenAi;

/// <summary>
/// The Responses wire objects and the stream's event sequence on their own, without a server:
/// every object and every event validates against OpenAI's spec, in the documented order. The
/// end-to-end checks in ResponsesFunctionTests prove the same over a real stream.
/// </summary>
public sealed class ResponsesWireTests
{
    private static readonly TokenUsage Usage = new(120, 20, 7);

    private static readonly ResponsesRequest Request = new(
        "summarize",
        [new CallerMessage("user", "hello")],
        "Be brief.",
        Stream: true,
        MaxOutputTokens: 500,
        Temperature: 0.3,
        TopP: 0.9,
        new Dictionary<string, string> { ["team"] = "search" });

    private static readonly ResponsesRequest WithTool = Request with
    {
        Tools = [new ToolDefinition("get_weather", "Weather now", """{"type":"object","properties":{"city":{"type":"string"}}}""", null), new ToolDefinition("get_time", null, null, true)],
        ToolChoice = ToolChoice.Required,
        Format = CallerFormat.Schema("answer", """{"type":"object","properties":{"text":{"type":"string"}}}""", null, true).Format,
    };

    private static readonly ResponseFrame Frame = new(ResponseFrame.ResponseId("abc"), 1_764_000_000, "summarize", Request, 200) { CompletedAt = 1_764_000_001 };

    [Theory]
    [InlineData("stop", "completed", null)]
    [InlineData("length", "incomplete", "max_output_tokens")]
    [InlineData("content_filter", "incomplete", "content_filter")]
    public void WriteResponse_WholeAnswer_IsAResponseTheSpecAcceptsWithEchoedParameters(string finishReason, string status, string? reason)
    {
        var (mapped, incomplete) = ResponsesWire.StatusOf(finishReason);
        var json = Write(w => ResponsesWire.WriteResponse(w, Frame, mapped, [new MessageItem("msg_abc", mapped, "Summary: late.")], Usage, incompleteReason: incomplete));

        OpenAiSpec.AssertValid(OpenAiSpec.Response, json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("response", root.GetProperty("object").GetString());
        Assert.Equal(status, root.GetProperty("status").GetString());
        Assert.Equal(reason, root.GetProperty("incomplete_details").ValueKind == JsonValueKind.Null ? null : root.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal("summarize", root.GetProperty("model").GetString());
        Assert.Equal("Be brief.", root.GetProperty("instructions").GetString());
        Assert.Equal(200, root.GetProperty("max_output_tokens").GetInt32());
        Assert.Equal(0.9, root.GetProperty("top_p").GetDouble());
        Assert.Equal("search", root.GetProperty("metadata").GetProperty("team").GetString());
        Assert.False(root.GetProperty("store").GetBoolean());
        var usage = root.GetProperty("usage");
        Assert.Equal(120, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(20, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(7, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(127, usage.GetProperty("total_tokens").GetInt32());
        var text = root.GetProperty("output")[0].GetProperty("content")[0];
        Assert.Equal("output_text", text.GetProperty("type").GetString());
        Assert.Equal("Summary: late.", text.GetProperty("text").GetString());
    }

    [Fact]
    public void EventSequence_TextStream_EmitsTheDocumentedEventsInOrderNumberedFromZero()
    {
        var sequence = new ResponseEventSequence(Frame, "abc");
        var events = sequence.Start()
            .Concat(sequence.Update(new ChatStreamUpdate("Sum", null, null, "gpt-4o")))
            .Concat(sequence.Update(new ChatStreamUpdate("mary.", null, null, "gpt-4o")))
            .Concat(sequence.Update(new ChatStreamUpdate(null, "stop", Usage, "gpt-4o")))
            .Concat(sequence.End("stop", Usage, 1_764_000_002))
            .Select(e => (e.Type, Json: Write(e.Write)))
            .ToList();

        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed",
            ],
            events.Select(e => e.Type));
        for (var i = 0; i < events.Count; i++)
        {
            OpenAiSpec.AssertValidEvent(events[i].Type, events[i].Json);
            using var document = JsonDocument.Parse(events[i].Json);
            Assert.Equal(i, document.RootElement.GetProperty("sequence_number").GetInt32());
        }

        using var done = JsonDocument.Parse(events[6].Json);
        Assert.Equal("Summary.", done.RootElement.GetProperty("text").GetString());
        using var completed = JsonDocument.Parse(events[^1].Json);
        var response = completed.RootElement.GetProperty("response");
        Assert.Equal("completed", response.GetProperty("status").GetString());
        Assert.Equal(1_764_000_002, response.GetProperty("completed_at").GetInt64());
        Assert.Equal("Summary.", response.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(7, response.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public void EventSequence_ToolCallStream_EmitsFunctionCallItemsWithArgumentDeltasInOrder()
    {
        var sequence = new ResponseEventSequence(Frame with { Request = WithTool }, "abc");
        var events = sequence.Start()
            .Concat(sequence.Update(new ChatStreamUpdate(null, null, null, null) { ToolCalls = [new ToolCallDelta(0, "call_1", "get_weather", "")] }))
            .Concat(sequence.Update(new ChatStreamUpdate(null, null, null, null) { ToolCalls = [new ToolCallDelta(0, null, null, "{\"city\":")] }))
            .Concat(sequence.Update(new ChatStreamUpdate(null, null, null, null) { ToolCalls = [new ToolCallDelta(0, null, null, "\"Paris\"}")] }))
            .Concat(sequence.Update(new ChatStreamUpdate(null, null, null, null) { ToolCalls = [new ToolCallDelta(1, "call_2", "get_time", "{}")] }))
            .Concat(sequence.End("tool_calls", Usage, 5))
            .Select(e => (e.Type, Json: Write(e.Write)))
            .ToList();

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            events.Select(e => e.Type));
        Assert.All(events, e => OpenAiSpec.AssertValidEvent(e.Type, e.Json));
        using var argumentsDone = JsonDocument.Parse(events[5].Json);
        Assert.Equal("{\"city\":\"Paris\"}", argumentsDone.RootElement.GetProperty("arguments").GetString());
        Assert.Equal("get_weather", argumentsDone.RootElement.GetProperty("name").GetString());
        using var completed = JsonDocument.Parse(events[^1].Json);
        var output = completed.RootElement.GetProperty("response").GetProperty("output");
        Assert.Equal(2, output.GetArrayLength());
        Assert.Equal(("function_call", "call_1", 0), (output[0].GetProperty("type").GetString(), output[0].GetProperty("call_id").GetString(), 0));
        Assert.Equal("call_2", output[1].GetProperty("call_id").GetString());
        Assert.Equal("get_weather", completed.RootElement.GetProperty("response").GetProperty("tools")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void WriteResponse_ToolCallsAndSchemaFormat_EchoTheCallersToolsAndFormat()
    {
        var answer = new ChatModelResponse(string.Empty, "tool_calls", Usage, "gpt-4o") { ToolCalls = [new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}")] };
        var json = Write(w => ResponsesWire.WriteResponse(w, Frame with { Request = WithTool }, "completed", ResponsesWire.OutputOf("abc", answer, "completed"), Usage));

        OpenAiSpec.AssertValid(OpenAiSpec.Response, json);
        using var document = JsonDocument.Parse(json);
        var item = Assert.Single(document.RootElement.GetProperty("output").EnumerateArray());
        Assert.Equal("function_call", item.GetProperty("type").GetString());
        Assert.Equal("fc_abc_0", item.GetProperty("id").GetString());
        Assert.Equal("json_schema", document.RootElement.GetProperty("text").GetProperty("format").GetProperty("type").GetString());
        Assert.Equal("required", document.RootElement.GetProperty("tool_choice").GetString());
    }

    [Fact]
    public void EventSequence_CutByTheOutputCap_EndsWithResponseIncomplete()
    {
        var sequence = new ResponseEventSequence(Frame, "abc");
        var events = sequence.Start().Concat(sequence.Update(new ChatStreamUpdate("Sum", null, null, null))).Concat(sequence.End("length", Usage, 1)).ToList();

        var last = events[^1];
        Assert.Equal("response.incomplete", last.Type);
        var json = Write(last.Write);
        OpenAiSpec.AssertValidEvent(last.Type, json);
        Assert.Contains("\"reason\":\"max_output_tokens\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void EventSequence_NoTextAtAll_StillClosesAnEmptyMessage()
    {
        var sequence = new ResponseEventSequence(Frame, "abc");
        var events = sequence.Start().Concat(sequence.End("stop", null, 1)).ToList();

        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"],
            events.Select(e => e.Type));
        Assert.All(events, e => OpenAiSpec.AssertValidEvent(e.Type, Write(e.Write)));
    }

    [Fact]
    public void EventSequence_FailureMidStream_SendsAnErrorEventThenResponseFailed()
    {
        var sequence = new ResponseEventSequence(Frame, "abc");
        var events = sequence.Start().Concat(sequence.Update(new ChatStreamUpdate("Sum", null, null, null))).Concat(sequence.Fail("upstream_error", "Model 'large' answered HTTP 500.")).ToList();

        Assert.Equal(["error", "response.failed"], events.TakeLast(2).Select(e => e.Type));
        Assert.All(events, e => OpenAiSpec.AssertValidEvent(e.Type, Write(e.Write)));
        var failed = Write(events[^1].Write);
        Assert.Contains("\"status\":\"failed\"", failed, StringComparison.Ordinal);
        Assert.Contains("answered HTTP 500", failed, StringComparison.Ordinal);
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
