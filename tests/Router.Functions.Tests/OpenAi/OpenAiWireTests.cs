using System.Buffers;
using System.Text;
using System.Text.Json;
using Router.Core.Models;
using Router.Functions.OpenAi;

namespace Router.Functions.Tests.OpenAi;

/// <summary>
/// The wire objects on their own, without a server: each says what it is in <c>object</c> (the
/// OpenAI SDKs dispatch on it) and validates against OpenAI's spec. The end-to-end chunk check
/// in ChatCompletionsFunctionTests proves the same over a real stream.
/// </summary>
public sealed class OpenAiWireTests
{
    private static readonly TokenUsage Usage = new(120, 20, 7);

    [Theory]
    [InlineData("assistant", "", null, true)]
    [InlineData(null, "Summary: the parcel was late.", null, false)]
    [InlineData(null, null, "stop", true)]
    public void WriteChunk_AnyPartOfAStream_IsAChatCompletionChunkTheSpecAccepts(string? role, string? content, string? finishReason, bool withUsageNull)
    {
        var json = Write(w => OpenAiWire.WriteChunk(w, "chatcmpl-abc", 1_764_000_000, "gpt-4o", role, content, finishReason, withUsageNull));

        using var chunk = JsonDocument.Parse(json);
        Assert.Equal("chat.completion.chunk", chunk.RootElement.GetProperty("object").GetString());
        Assert.Equal("chatcmpl-abc", chunk.RootElement.GetProperty("id").GetString());
        Assert.Equal(1, chunk.RootElement.GetProperty("choices").GetArrayLength());
        OpenAiSpec.AssertValid(OpenAiSpec.ChatCompletionChunk, json);
    }

    [Fact]
    public void WriteUsageChunk_EndOfStream_IsAChunkWithNoChoicesAndTheUsage()
    {
        var json = Write(w => OpenAiWire.WriteUsageChunk(w, "chatcmpl-abc", 1_764_000_000, "gpt-4o", Usage));

        using var chunk = JsonDocument.Parse(json);
        Assert.Equal("chat.completion.chunk", chunk.RootElement.GetProperty("object").GetString());
        Assert.Equal(0, chunk.RootElement.GetProperty("choices").GetArrayLength());
        Assert.Equal(120, chunk.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(7, chunk.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        OpenAiSpec.AssertValid(OpenAiSpec.ChatCompletionChunk, json);
    }

    [Fact]
    public void WriteCompletion_WholeAnswer_IsAChatCompletionNotAChunk()
    {
        var json = Write(w => OpenAiWire.WriteCompletion(w, "chatcmpl-abc", 1_764_000_000, "gpt-4o", "billing", "stop", Usage));

        using var completion = JsonDocument.Parse(json);
        Assert.Equal("chat.completion", completion.RootElement.GetProperty("object").GetString());
        OpenAiSpec.AssertValid(OpenAiSpec.ChatCompletion, json);
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
