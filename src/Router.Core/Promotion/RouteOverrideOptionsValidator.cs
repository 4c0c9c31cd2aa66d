using System.Globalization;
using Microsoft.Extensions.Options;

namespace Router.Core.Promotion;

/// <summary>Checks <c>Router:RouteOverrides</c> at start; every message names the setting.</summary>
public sealed class RouteOverrideOptionsValidator : IValidateOptions<RouteOverrideOptions>
{
    public ValidateOptionsResult Validate(string? name, RouteOverrideOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.RefreshInterval < TimeSpan.FromMilliseconds(100) || options.RefreshInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{RouteOverrideOptions.SectionName}:RefreshInterval: {options.RefreshInterval} is outside 00:00:00.1..01:00:00.");
        }

        if (options.EvidenceDays is < 1 or > 90)
        {
            errors.Add($"{RouteOverrideOptions.SectionName}:EvidenceDays: {options.EvidenceDays} is outside 1..90.");
        }

        if (!(options.MaxCascadeRate is > 0 and <= 1))
        {
            errors.Add($"{RouteOverrideOptions.SectionName}:MaxCascadeRate: {options.MaxCascadeRate.ToString(CultureInfo.InvariantCulture)} is outside (0, 1].");
        }

        if (options.CascadeMinCalls is < 1 or > 1_000_000)
        {
            errors.Add($"{RouteOverrideOptions.SectionName}:CascadeMinCalls: {options.CascadeMinCalls} is outside 1..1000000.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
