using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Router.Emulator.Options;
using Router.Emulator.Wire;

namespace Router.Emulator.Auth;

/// <summary>
/// Checks the caller's key the way each service does: Azure OpenAI takes <c>api-key</c> or a
/// bearer token, OpenAI only a bearer token. With no key configured every caller is let in.
/// </summary>
public sealed class ApiKeyCheck
{
    private const string BearerPrefix = "Bearer ";
    private readonly byte[]? _expected;

    public ApiKeyCheck(IOptions<EmulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = options.Value.ApiKey;
        _expected = string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);
    }

    public bool IsAuthorized(HttpRequest request, WireFormat format)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_expected is null)
        {
            return true;
        }

        if (format == WireFormat.Azure && request.Headers.TryGetValue("api-key", out var apiKey) && Matches(apiKey.ToString()))
        {
            return true;
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            && Matches(authorization.AsSpan(BearerPrefix.Length).Trim());
    }

    private bool Matches(ReadOnlySpan<char> presented)
    {
        // Constant time, like a real service; cheap enough at these key lengths.
        Span<byte> buffer = stackalloc byte[256];
        var max = Encoding.UTF8.GetMaxByteCount(presented.Length);
        var bytes = max <= buffer.Length ? buffer : new byte[max];
        var written = Encoding.UTF8.GetBytes(presented, bytes);
        return CryptographicOperations.FixedTimeEquals(bytes[..written], _expected);
    }
}
