using Microsoft.Extensions.Configuration;

namespace Router.Core.Ledger;

/// <summary>
/// This process's name in RouterRollups row keys. Each instance writes only rows carrying its
/// own name, so instances never conflict; budgets read the other instances' rows.
/// </summary>
public sealed record RouterInstance(string Id)
{
    public const string SettingName = "Router:Ledger:InstanceId";

    /// <summary>
    /// The name was configured (<see cref="SettingName"/>), so a restarted process carries it on and must
    /// continue the rows its predecessor stored; a generated name is new with every process.
    /// </summary>
    public bool Configured { get; init; }

    public static RouterInstance FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[SettingName];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new RouterInstance(Sanitize(configured)) { Configured = true };
        }

        // Azure sets WEBSITE_INSTANCE_ID per instance; the process id keeps two local processes apart.
        var website = Environment.GetEnvironmentVariable("WEBSITE_INSTANCE_ID");
        var baseName = string.IsNullOrWhiteSpace(website) ? Environment.MachineName : website[..Math.Min(16, website.Length)];
        return new RouterInstance(Sanitize($"{baseName}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..6]}"));
    }

    /// <summary>Row keys may not hold '/', '\\', '#', '?' or control characters; '-' separates key parts, so it goes too.</summary>
    private static string Sanitize(string value) =>
        new(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '_').Take(64).ToArray());
}
