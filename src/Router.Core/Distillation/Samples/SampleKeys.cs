using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Router.Core.Ledger;
using Router.Core.Routing;

namespace Router.Core.Distillation.Samples;

/// <summary>
/// RouterSamples keys. PartitionKey <c>{task}-{shard:D2}</c>, RowKey = the input hash. DESIGN.md sketched
/// <c>{inverted ticks}-{callId}</c>; a hash key instead makes the same input land on the same row
/// whatever the call, so duplicates collapse in storage and retried writes stay idempotent.
/// </summary>
public static class SampleKeys
{
    public static string Partition(string task, string inputHash, int shardCount) =>
        string.Create(CultureInfo.InvariantCulture, $"{task}-{LedgerKeys.Shard(inputHash, shardCount):D2}");

    public static string Row(string inputHash) => inputHash;

    /// <summary>Every partition of one task, for counting and export.</summary>
    public static IEnumerable<string> Partitions(string task, int shardCount) =>
        Enumerable.Range(0, shardCount).Select(shard => string.Create(CultureInfo.InvariantCulture, $"{task}-{shard:D2}"));

    /// <summary>Length-prefixed roles and contents, so moving text between messages changes the hash.</summary>
    public static string InputHash(IEnumerable<CallerMessage> messages, IReadOnlyList<ToolDefinition>? tools = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var canonical = new StringBuilder();
        foreach (var message in messages)
        {
            canonical.Append(message.Role).Append(':').Append(message.Content.Length).Append(':').Append(message.Content).Append('\n');
            // Tool calls and tool results are part of the input; a plain message hashes as it always did.
            foreach (var call in message.ToolCalls)
            {
                canonical.Append("call:").Append(call.Id).Append(':').Append(call.Name).Append(':').Append(call.Arguments.Length).Append(':').Append(call.Arguments).Append('\n');
            }

            if (message.ToolCallId is { } answers)
            {
                canonical.Append("answers:").Append(answers).Append('\n');
            }
        }

        // The same messages with other tools offered are another input.
        foreach (var tool in tools ?? [])
        {
            canonical.Append("tool:").Append(tool.Name).Append(':').Append(tool.Description).Append(':').Append(tool.ParametersJson).Append(':').Append(tool.Strict).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    /// <summary>
    /// The sampling decision: the first 8 bytes of SHA-256(call id) as a fraction of 2^64, kept when below
    /// the capture rate. Deterministic (rate 1.0 keeps every call, 0 none) and spread evenly over call ids.
    /// </summary>
    public static bool IsSampled(string callId, double captureRate)
    {
        ArgumentNullException.ThrowIfNull(callId);
        if (captureRate <= 0)
        {
            return false;
        }

        if (captureRate >= 1)
        {
            return true;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(callId));
        var fraction = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest) / 18446744073709551616.0;
        return fraction < captureRate;
    }
}
