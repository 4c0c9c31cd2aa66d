using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Router.Core.Evaluation;

/// <summary>
/// Which served calls are mirrored to a candidate: a stable hash of (call id, candidate) compared with
/// the rate, so the choice is reproducible across processes and independent between candidates.
/// </summary>
public static class ShadowSampler
{
    public static bool Picks(string callId, string candidate, double rate)
    {
        ArgumentNullException.ThrowIfNull(callId);
        ArgumentNullException.ThrowIfNull(candidate);
        if (rate <= 0)
        {
            return false;
        }

        if (rate >= 1)
        {
            return true;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(callId + "\n" + candidate), digest);
        return BinaryPrimitives.ReadUInt32LittleEndian(digest) / 4294967296.0 < rate;
    }
}
