using System.Text.Json;

namespace Router.Core.Distillation.Samples;

/// <summary>
/// OpenAI chat fine-tuning JSONL: one <c>{"messages":[system, user..., assistant]}</c> object per line,
/// UTF-8, "\n" between lines. Azure OpenAI's upload wants a byte-order mark, hence <c>bom</c>.
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
            WriteMessage(json, message.Role, message.Content);
        }

        WriteMessage(json, "assistant", sample.Output);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter json, string role, string content)
    {
        json.WriteStartObject();
        json.WriteString("role", role);
        json.WriteString("content", content);
        json.WriteEndObject();
    }
}
