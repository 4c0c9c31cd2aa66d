using System.Globalization;
using System.Text;

namespace Router.Core.Ledger;

/// <summary>
/// The name an instance writes its rollup rows under. Two live processes must never share one,
/// or their absolute totals would overwrite each other; the process id makes a restarted
/// process a new instance too, so it never replaces the totals its predecessor wrote.
/// </summary>
public static class LedgerInstanceId
{
    /// <summary>The configured id, or WEBSITE_INSTANCE_ID (first 12 characters) / machine name, plus the process id.</summary>
    public static string Resolve(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Sanitize(configured.Trim());
        }

        return Default();
    }

    public static string Default()
    {
        var host = Environment.GetEnvironmentVariable("WEBSITE_INSTANCE_ID");
        host = string.IsNullOrWhiteSpace(host) ? Environment.MachineName : host[..Math.Min(12, host.Length)];
        return Sanitize(string.Create(CultureInfo.InvariantCulture, $"{host}-{Environment.ProcessId}"));
    }

    /// <summary>True when the id can stand in a RowKey as it is.</summary>
    public static bool IsValid(string id) => id.Length is > 0 and <= 64 && Sanitize(id) == id;

    /// <summary>RowKeys forbid / \ # ? and control characters; keep ids short and plain.</summary>
    private static string Sanitize(string id)
    {
        var builder = new StringBuilder(Math.Min(id.Length, 64));
        foreach (var c in id)
        {
            if (builder.Length == 64)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return builder.ToString();
    }
}
