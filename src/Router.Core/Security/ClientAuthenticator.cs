using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Router.Core.Security;

/// <summary>
/// Turns a presented key into a client. The key is hashed and compared with every
/// configured hash in constant time, so neither the comparison nor the position of the
/// matching client leaks through timing. Several keys may share a client name (rotation).
/// </summary>
public sealed class ClientAuthenticator
{
    private readonly (byte[] Hash, ClientIdentity Identity)[] _clients;

    public ClientAuthenticator(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = options.Value.Clients
            .Select(c => (Convert.FromHexString(c.KeySha256!), new ClientIdentity(c.Name!, new HashSet<string>(c.Roles, StringComparer.Ordinal))))
            .ToArray();
    }

    /// <summary>Reads the key from <c>Authorization: Bearer</c>, <c>api-key</c> or <c>x-functions-key</c>.</summary>
    public static string? KeyFromHeaders(string? authorization, string? apiKey, string? functionsKey)
    {
        if (!string.IsNullOrWhiteSpace(authorization) && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        if (!string.IsNullOrWhiteSpace(apiKey))
        {
            return apiKey.Trim();
        }

        return string.IsNullOrWhiteSpace(functionsKey) ? null : functionsKey.Trim();
    }

    public static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public ClientIdentity? Authenticate(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        Span<byte> presented = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), presented);
        ClientIdentity? match = null;
        foreach (var (hash, identity) in _clients)
        {
            // No early exit: every configured hash is compared.
            if (CryptographicOperations.FixedTimeEquals(presented, hash))
            {
                match = identity;
            }
        }

        return match;
    }
}
