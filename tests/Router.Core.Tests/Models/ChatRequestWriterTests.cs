using System.Buffers;
using System.Text.Json;
using Router.Core.Models;
using Router.Core.Routing;

namespace Router.Core.Tests.Models;

/// <summary>
/// The chat-completions body Router writes for the SDK's protocol method: every forwarded
/// parameter under its OpenAI name, the output cap under the property the deployment takes, and
/// nothing the API refuses (tool settings without tools). The integration tests see the same body
/// in the emulator's request log.
/// </summary>
public sealed class ChatRequestWriterTests
{
    private static readonly PromptMessage[] Conversation =
    [
        new("system", "Classify the ticket.", PromptPart.System),
        new("developer", "Be terse.", PromptPart.Caller),
        new("user", "I was charged \"twice\".", PromptPart.Caller),
        new("assistant", string.Empty, PromptPart.Caller) { ToolCalls = [new ToolCall("c1", "lookup", "{\"id\":7}")] },
        new("tool", "{\"plan\":\"pro\"}", PromptPart.Caller) { ToolCallId = "c1" },
    ];

    [Fact]
    public void Write_EveryForwardedParameter_WritesItUnderItsOpenAiName()
    {
        var request = new ChatModelRequest(Conversation, 40, 0.2, JsonOutput: false)
        {
            Sampling = new SamplingOptions
            {
                TopP = 0.9, Stop = ["END"], Seed = 7, PresencePenalty = 0.1, FrequencyPenalty = 0.2,
                LogitBias = new Dictionary<int, int> { [50256] = -100 }, EndUser = "u1", ParallelToolCalls = false, ReasoningEffort = "low",
            },
            Tools = [new ToolDefinition("lookup", "Finds a plan", "{\"type\":\"object\"}", Strict: true)],
            ToolChoice = ToolChoice.Function("lookup"),
        };

        var body = Written(request, new ChatWire("gpt-4o", MaxCompletionTokens: false), stream: false);

        Assert.Equal("gpt-4o", body.GetProperty("model").GetString());
        Assert.Equal(40, body.GetProperty("max_tokens").GetInt32());
        Assert.False(body.TryGetProperty("max_completion_tokens", out _));
        Assert.Equal(0.2, body.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, body.GetProperty("top_p").GetDouble());
        Assert.Equal("END", body.GetProperty("stop")[0].GetString());
        Assert.Equal(7, body.GetProperty("seed").GetInt64());
        Assert.Equal(0.1, body.GetProperty("presence_penalty").GetDouble());
        Assert.Equal(0.2, body.GetProperty("frequency_penalty").GetDouble());
        Assert.Equal(-100, body.GetProperty("logit_bias").GetProperty("50256").GetInt32());
        Assert.Equal("u1", body.GetProperty("user").GetString());
        Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("low", body.GetProperty("reasoning_effort").GetString());
        var tool = body.GetProperty("tools")[0];
        Assert.Equal("function", tool.GetProperty("type").GetString());
        Assert.Equal("lookup", tool.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("object", tool.GetProperty("function").GetProperty("parameters").GetProperty("type").GetString());
        Assert.True(tool.GetProperty("function").GetProperty("strict").GetBoolean());
        Assert.Equal("lookup", body.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        Assert.False(body.TryGetProperty("stream", out _));
        Assert.False(body.TryGetProperty("response_format", out _));
    }

    [Fact]
    public void Write_Messages_KeepOrderRolesToolCallsAndText()
    {
        var body = Written(new ChatModelRequest(Conversation, null, null, JsonOutput: false), new ChatWire("m", true), stream: false);

        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "system", "user", "assistant", "tool"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("I was charged \"twice\".", messages[2].GetProperty("content").GetString());
        Assert.False(messages[3].TryGetProperty("content", out _));
        var call = messages[3].GetProperty("tool_calls")[0];
        Assert.Equal("c1", call.GetProperty("id").GetString());
        Assert.Equal("{\"id\":7}", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("c1", messages[4].GetProperty("tool_call_id").GetString());
        Assert.False(body.TryGetProperty("max_tokens", out _));
        Assert.False(body.TryGetProperty("temperature", out _));
    }

    [Fact]
    public void Write_OpenAiOrReasoningDeployment_CapsWithMaxCompletionTokens()
    {
        var body = Written(new ChatModelRequest(Conversation, 12, null, JsonOutput: false), new ChatWire("o4-mini", MaxCompletionTokens: true), stream: false);

        Assert.Equal(12, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.False(body.TryGetProperty("max_tokens", out _));
    }

    [Fact]
    public void Write_ToolSettingsWithoutTools_AreLeftOut()
    {
        var request = new ChatModelRequest(Conversation, null, null, JsonOutput: false)
        {
            Sampling = new SamplingOptions { ParallelToolCalls = true },
            ToolChoice = ToolChoice.Required,
        };

        var body = Written(request, new ChatWire("m", true), stream: false);

        Assert.False(body.TryGetProperty("parallel_tool_calls", out _));
        Assert.False(body.TryGetProperty("tool_choice", out _));
        Assert.False(body.TryGetProperty("tools", out _));
    }

    [Fact]
    public void Write_Stream_AsksForTheUsageInTheLastChunk()
    {
        var body = Written(new ChatModelRequest(Conversation, null, null, JsonOutput: false), new ChatWire("m", true), stream: true);

        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public void Write_CallerSchema_GoesUpAsJsonSchemaFormat()
    {
        var (format, error) = CallerFormat.Schema("ticket", "{\"type\":\"object\",\"required\":[\"label\"]}", "A ticket", strict: true);
        Assert.Null(error);

        var body = Written(new ChatModelRequest(Conversation, null, null, JsonOutput: true) { Format = format }, new ChatWire("m", true), stream: false);

        var responseFormat = body.GetProperty("response_format");
        Assert.Equal("json_schema", responseFormat.GetProperty("type").GetString());
        var schema = responseFormat.GetProperty("json_schema");
        Assert.Equal("ticket", schema.GetProperty("name").GetString());
        Assert.Equal("A ticket", schema.GetProperty("description").GetString());
        Assert.True(schema.GetProperty("strict").GetBoolean());
        Assert.Equal("label", schema.GetProperty("schema").GetProperty("required")[0].GetString());
    }

    [Fact]
    public void Write_TaskJsonOutputWithoutCallerFormat_AsksForAJsonObject()
    {
        var body = Written(new ChatModelRequest(Conversation, null, null, JsonOutput: true), new ChatWire("m", true), stream: false);

        Assert.Equal("json_object", body.GetProperty("response_format").GetProperty("type").GetString());
    }

    private static JsonElement Written(ChatModelRequest request, ChatWire wire, bool stream)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ChatRequestWriter.Write(buffer, request, wire, stream);
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }
}
