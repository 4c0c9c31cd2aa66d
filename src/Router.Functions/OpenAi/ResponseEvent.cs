using System.Text.Json;

namespace Router.Functions.OpenAi;

/// <summary>
/// One typed server-sent event of a streamed response: its <c>type</c> (also the SSE event
/// name), its <c>sequence_number</c>, and the writer of its other fields.
/// </summary>
public sealed record ResponseEvent(string Type, int SequenceNumber, Action<Utf8JsonWriter> Fields)
{
    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type", Type);
        writer.WriteNumber("sequence_number", SequenceNumber);
        Fields(writer);
        writer.WriteEndObject();
    }
}
