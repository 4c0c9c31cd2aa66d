using System.Text;
using System.Text.Json;
using Router.Core.Models;

namespace Router.Core.Tests.Models;

/// <summary>
/// Reading a model's answer from the raw bytes: text, tool calls, finish reason and the usage that
/// bills the call, with unknown properties (Azure's content-filter results, logprobs) skipped, and
/// a body that is not a completion refused as unreadable rather than half-read.
/// </summary>
public sealed class ChatResponseReaderTests
{
    [Fact]
    public void ReadCompletion_AnswerWithUsage_ReadsTextFinishModelAndTokens()
    {
        const string body = """
            {"id":"x","object":"chat.completion","model":"gpt-4o-2024-08-06","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false}}}],
             "choices":[{"index":0,"message":{"role":"assistant","content":"billing","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"length"}],
             "usage":{"prompt_tokens":120,"completion_tokens":3,"total_tokens":123,"prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}
            """;

        var (response, hasUsage) = ChatResponseReader.ReadCompletion(Encoding.UTF8.GetBytes(body));

        Assert.True(hasUsage);
        Assert.Equal("billing", response.Text);
        Assert.Equal("length", response.FinishReason);
        Assert.Equal("gpt-4o-2024-08-06", response.ResponseModel);
        Assert.Equal(new TokenUsage(120, 64, 3), response.Usage);
        Assert.Empty(response.ToolCalls);
    }

    [Fact]
    public void ReadCompletion_ToolCalls_ReadsEachCallWithItsArguments()
    {
        const string body = """
            {"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
              {"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"id\":7}"}},
              {"id":"call_2","type":"function","function":{"name":"refund","arguments":"{}"}}]},"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":10,"completion_tokens":9}}
            """;

        var (response, _) = ChatResponseReader.ReadCompletion(Encoding.UTF8.GetBytes(body));

        Assert.Equal(string.Empty, response.Text);
        Assert.Equal("tool_calls", response.FinishReason);
        Assert.Equal([new ToolCall("call_1", "lookup", "{\"id\":7}"), new ToolCall("call_2", "refund", "{}")], response.ToolCalls);
    }

    [Fact]
    public void ReadCompletion_NoUsage_SaysSo()
    {
        var (_, hasUsage) = ChatResponseReader.ReadCompletion("""{"choices":[{"message":{"content":"a"},"finish_reason":"stop"}]}"""u8);

        Assert.False(hasUsage);
    }

    [Theory]
    [InlineData("""{"error":{"message":"x"}}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"choices":[{"message":{"content":"a"}""")]
    public void ReadCompletion_NotACompletion_Throws(string body)
    {
        Assert.ThrowsAny<JsonException>(() => ChatResponseReader.ReadCompletion(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void ReadChunk_ContentDelta_ReadsTextWithoutUsage()
    {
        var update = ChatResponseReader.ReadChunk("""{"id":"c","model":"m","choices":[{"index":0,"delta":{"content":"bill"},"finish_reason":null}],"usage":null}"""u8);

        Assert.Equal("bill", update.ContentDelta);
        Assert.Null(update.FinishReason);
        Assert.Null(update.Usage);
        Assert.Equal("m", update.ResponseModel);
    }

    [Fact]
    public void ReadChunk_UsageChunkWithNoChoices_ReadsTheUsage()
    {
        var update = ChatResponseReader.ReadChunk("""{"id":"c","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":0}}}"""u8);

        Assert.Null(update.ContentDelta);
        Assert.Equal(new TokenUsage(7, 0, 2), update.Usage);
    }

    [Fact]
    public void ReadChunk_ToolCallPieces_KeepTheirIndexIdNameAndArgumentText()
    {
        var first = ChatResponseReader.ReadChunk("""{"choices":[{"delta":{"tool_calls":[{"index":1,"id":"call_9","type":"function","function":{"name":"lookup","arguments":""}}]}}]}"""u8);
        var next = ChatResponseReader.ReadChunk("""{"choices":[{"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"id\""}}]},"finish_reason":"tool_calls"}]}"""u8);

        Assert.Equal([new ToolCallDelta(1, "call_9", "lookup", string.Empty)], first.ToolCalls);
        Assert.Equal([new ToolCallDelta(1, null, null, "{\"id\"")], next.ToolCalls);
        Assert.Equal("tool_calls", next.FinishReason);
    }

    [Fact]
    public void ReadChunk_UnknownFinishReason_ReadsAsStop()
    {
        var update = ChatResponseReader.ReadChunk("""{"choices":[{"delta":{},"finish_reason":"something_new"}]}"""u8);

        Assert.Equal("stop", update.FinishReason);
    }
}
