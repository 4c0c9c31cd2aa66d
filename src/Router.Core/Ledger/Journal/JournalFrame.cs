using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Router.Core.Ledger.Journal;

/// <summary>
/// One record on disk: <c>[payload length: u32 LE][CRC-32 of payload: u32 LE][payload]</c>, the payload
/// being <c>[seq: i64 LE][the CallRecord as UTF-8 JSON]</c>. A frame cut short (a torn write) or whose
/// checksum does not match ends what can be read of a segment.
/// </summary>
public static class JournalFrame
{
    public const int HeaderBytes = 8;

    /// <summary>No record comes near this; a larger length means the header itself is damaged.</summary>
    public const int MaxPayloadBytes = 1024 * 1024;

    private const int SeqBytes = 8;

    /// <summary>Appends the frame of one record to <paramref name="output"/>.</summary>
    public static void Write(ArrayBufferWriter<byte> output, long seq, CallRecord record, Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(json);
        var start = output.WrittenCount;
        var header = output.GetSpan(HeaderBytes + SeqBytes);
        BinaryPrimitives.WriteInt64LittleEndian(header.Slice(HeaderBytes, SeqBytes), seq);
        output.Advance(HeaderBytes + SeqBytes);
        json.Reset(output);
        JsonSerializer.Serialize(json, record, JournalJsonContext.Default.CallRecord);
        json.Flush();

        // The header bytes were reserved above; they are filled in place once the payload is known.
        var frame = MemoryMarshal.AsMemory(output.WrittenMemory[start..]).Span;
        var payload = frame[HeaderBytes..];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Crc32.HashToUInt32(payload));
    }

    /// <summary>
    /// Reads frames from the start of <paramref name="data"/>. Stops at the first frame that is cut
    /// short or damaged and says how many bytes it could not read (0 when the data ended cleanly).
    /// </summary>
    public static List<JournalEntry> ReadAll(ReadOnlySpan<byte> data, out int unreadableBytes, out int undecodable)
    {
        var entries = new List<JournalEntry>();
        undecodable = 0;
        var position = 0;
        while (position < data.Length)
        {
            var rest = data[position..];
            if (rest.Length < HeaderBytes)
            {
                break;
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(rest);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]);
            if (length < SeqBytes || length > MaxPayloadBytes || rest.Length < HeaderBytes + (int)length)
            {
                break;
            }

            var payload = rest.Slice(HeaderBytes, (int)length);
            if (Crc32.HashToUInt32(payload) != crc)
            {
                break;
            }

            position += HeaderBytes + (int)length;
            var seq = BinaryPrimitives.ReadInt64LittleEndian(payload);
            CallRecord? record;
            try
            {
                record = JsonSerializer.Deserialize(payload[SeqBytes..], JournalJsonContext.Default.CallRecord);
            }
            catch (JsonException)
            {
                record = null;
            }

            if (record is null)
            {
                // Checksum right but not a record this version can read: skip it, keep reading.
                undecodable++;
                continue;
            }

            entries.Add(new JournalEntry(seq, record));
        }

        unreadableBytes = data.Length - position;
        return entries;
    }
}
