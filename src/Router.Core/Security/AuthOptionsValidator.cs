using Microsoft.Extensions.Options;

namespace Router.Core.Security;

public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var hashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var path = $"Router:Auth:Clients:{i}";
            var client = options.Clients[i];
            if (string.IsNullOrWhiteSpace(client.Name))
            {
                errors.Add($"{path}:Name: is required.");
            }

            if (client.KeySha256 is null || client.KeySha256.Length != 64 || !client.KeySha256.All(Uri.IsHexDigit))
            {
                errors.Add($"{path}:KeySha256: must be the 64 hex digits of the key's SHA-256 (scripts/new-client-key.sh prints it), not the key.");
            }
            else if (!hashes.Add(client.KeySha256))
            {
                errors.Add($"{path}:KeySha256: the same key hash is configured twice.");
            }

            if (client.Roles.Count == 0 || client.Roles.Any(r => r is not (ClientRoles.Caller or ClientRoles.Admin)))
            {
                errors.Add($"{path}:Roles: must be caller and/or admin.");
            }

            _ = names.Add(client.Name ?? string.Empty);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
