using System.Globalization;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Router.Core.Ledger;

/// <summary>Table keys from DESIGN.md. Same call id, same keys: that is what makes retried writes idempotent.</summary>
public static class LedgerKeys
{
    /// <summary><c>{yyyyMMdd}-{task}-{shard}</c>: one day of one task, spread over shards.</summary>
    public static string CallPartition(DateTimeOffset timestamp, string task, string callId, int shardCount) =>
        string.Create(CultureInfo.InvariantCulture, $"{timestamp.UtcDateTime:yyyyMMdd}-{task}-{Shard(callId, shardCount):D2}");

    /// <summary><c>{inverted ticks D19}-{callId}</c>: newest first within a partition.</summary>
    public static string CallRow(DateTimeOffset timestamp, string callId) =>
        string.Create(CultureInfo.InvariantCulture, $"{DateTime.MaxValue.Ticks - timestamp.UtcTicks:D19}-{callId}");

    /// <summary>Stable across processes (string.GetHashCode is randomised per process).</summary>
    public static int Shard(string callId, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(callId);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(callId), digest);
        return (int)(BinaryPrimitives.ReadUInt32LittleEndian(digest) % (uint)Math.Max(1, shardCount));
    }
}
