using System.Globalization;
using Microsoft.Extensions.Options;

namespace Router.Core.Evaluation;

/// <summary>Checks <c>Router:Shadow</c> at start; every message names the setting.</summary>
public sealed class ShadowOptionsValidator : IValidateOptions<ShadowOptions>
{
    public ValidateOptionsResult Validate(string? name, ShadowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.QueueCapacity is < 1 or > 1_000_000)
        {
            errors.Add($"{ShadowOptions.SectionName}:QueueCapacity: {options.QueueCapacity} is outside 1..1000000.");
        }

        if (options.Concurrency is < 1 or > 256)
        {
            errors.Add($"{ShadowOptions.SectionName}:Concurrency: {options.Concurrency} is outside 1..256.");
        }

        if (!(options.GenerationAgreement is > 0 and <= 1))
        {
            errors.Add($"{ShadowOptions.SectionName}:GenerationAgreement: {options.GenerationAgreement.ToString(CultureInfo.InvariantCulture)} is outside (0, 1].");
        }

        if (!(options.TargetHalfWidth is > 0 and <= 0.5))
        {
            errors.Add($"{ShadowOptions.SectionName}:TargetHalfWidth: {options.TargetHalfWidth.ToString(CultureInfo.InvariantCulture)} is outside (0, 0.5].");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
