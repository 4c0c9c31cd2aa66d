using System.Text.Json;

namespace Router.Core.Distillation.Samples;

/// <summary>
/// OpenAI chat fine-tuning JSONL: one <c>{"messages":[system, user..., assistant]}</c> object per line,
/// UTF-8, "\n" between lines. Azure OpenAI's upload wants a byte-order mark, hence <c>bom</c>. A sample
/// with tools follows the function-calling format: assistant messages carry <c>tool_calls</c>, tool
/// messages <c>tool_call_id</c>, and the offered functions go beside the messages as <c>tools</c>.
/// </summary>
public static class FineTuningJsonl
{
    public const string ContentType = "application/jsonl; charset=utf-8";

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly byte[] NewLine = [(byte)'\n'];

    /// <summary>Writes each sample as it arrives (the table is never held in memory); returns the line count.</summary>
    public static async Task<long> WriteAsync(Stream output, IAsyncEnumerable<TrainingSample> samples, bool bom, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(samples);
        if (bom)
        {
            await output.WriteAsync(Utf8Bom, cancellationToken);
        }

        long lines = 0;
        using var buffer = new MemoryStream();
        await foreach (var sample in samples.WithCancellation(cancellationToken))
        {
            buffer.SetLength(0);
            using (var json = new Utf8JsonWriter(buffer))
            {
                WriteLine(json, sample);
            }

            buffer.Write(NewLine);
            await output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
            lines++;
        }

        return lines;
    }

    private static void WriteLine(Utf8JsonWriter json, TrainingSample sample)
    {
        json.WriteStartObject();
        json.WriteStartArray("messages");
        foreach (var message in sample.Messages)
        {
            WriteMessage(json, message.Role, message.Content, message.ToolCalls, message.ToolCallId);
        }

        WriteMessage(json, "assistant", sample.Output, sample.OutputToolCalls, null);
        json.WriteEndArray();
        if (sample.Tools.Count > 0)
        {
            json.WriteStartArray("tools");
            foreach (var tool in sample.Tools)
            {
                json.WriteStartObject();
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", tool.Name);
                if (tool.Description is not null)
                {
                    json.WriteString("description", tool.Description);
                }

                if (tool.ParametersJson is not null)
                {
                    json.WritePropertyName("parameters");
                    json.WriteRawValue(tool.ParametersJson);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter json, string role, string content, IReadOnlyList<Models.ToolCall> toolCalls, string? toolCallId)
    {
        json.WriteStartObject();
        json.WriteString("role", role);
        if (toolCalls.Count > 0 && content.Length == 0)
        {
            // An assistant turn that only called functions has no content.
            json.WriteNull("content");
        }
        else
        {
            json.WriteString("content", content);
        }

        if (toolCalls.Count > 0)
        {
            json.WriteStartArray("tool_calls");
            foreach (var call in toolCalls)
            {
                json.WriteStartObject();
                json.WriteString("id", call.Id);
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", call.Name);
                json.WriteString("arguments", call.Arguments);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (toolCallId is not null)
        {
            json.WriteString("tool_call_id", toolCallId);
        }

        json.WriteEndObject();
    }
}
