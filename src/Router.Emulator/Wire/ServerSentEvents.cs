using System.Buffers;

namespace Router.Emulator.Wire;

/// <summary>Frames server-sent events the way the OpenAI streaming API does: <c>data: {json}\n\n</c>, ended by <c>data: [DONE]</c>.</summary>
public static class ServerSentEvents
{
    public static void WriteData(IBufferWriter<byte> output, Action<IBufferWriter<byte>> writePayload)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(writePayload);
        output.Write("data: "u8);
        writePayload(output);
        output.Write("\n\n"u8);
    }

    public static void WriteDone(IBufferWriter<byte> output) => output.Write("data: [DONE]\n\n"u8);
}
