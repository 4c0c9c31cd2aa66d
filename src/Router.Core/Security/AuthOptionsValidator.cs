using Microsoft.Extensions.Options;

namespace Router.Core.Security;

public sealed partial class AuthOptionsValidator : IValidateOptions<AuthOptions>
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

            if (client.Name is { Length: > 0 } clientName && !ClientNamePattern().IsMatch(clientName))
            {
                errors.Add($"{path}:Name: '{clientName}' must be 1-64 of letters, digits, '.', '_' and '-' (it goes into table keys).");
            }

            if (client.DailyBudgetUsd is < 0)
            {
                errors.Add($"{path}:DailyBudgetUsd: must not be negative.");
            }

            if (client.RequestsPerMinute is <= 0)
            {
                errors.Add($"{path}:RequestsPerMinute: must be positive.");
            }

            _ = names.Add(client.Name ?? string.Empty);
        }

        // Keys that share a name (rotation) are one client: their limits must agree.
        foreach (var group in options.Clients.Where(c => c.Name is not null).GroupBy(c => c.Name!, StringComparer.OrdinalIgnoreCase))
        {
            if (group.Select(c => (c.DailyBudgetUsd, c.RequestsPerMinute)).Distinct().Count() > 1)
            {
                errors.Add($"Router:Auth:Clients: the keys of client '{group.Key}' give different DailyBudgetUsd or RequestsPerMinute.");
            }
        }

        if (options.SpendRefreshInterval < TimeSpan.FromSeconds(1) || options.SpendRefreshInterval > TimeSpan.FromMinutes(10))
        {
            errors.Add("Router:Auth:SpendRefreshInterval: must be from 00:00:01 to 00:10:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex ClientNamePattern();
}
