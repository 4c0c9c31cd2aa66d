using Microsoft.Extensions.Options;
using Router.Emulator.Faults;

namespace Router.Emulator.Options;

/// <summary>Fails start-up on settings that would otherwise surface as odd behaviour mid-test.</summary>
public sealed class EmulatorOptionsValidator : IValidateOptions<EmulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!(options.LatencyScale >= 0) || double.IsInfinity(options.LatencyScale))
        {
            failures.Add("Emulator:LatencyScale must be a finite number >= 0.");
        }

        if (options.TimeoutDelayMs < 0)
        {
            failures.Add("Emulator:TimeoutDelayMs must be >= 0.");
        }

        if (options.DefaultOutputTokens < 1)
        {
            failures.Add("Emulator:DefaultOutputTokens must be >= 1.");
        }

        if (options.RequestLogCapacity < 1)
        {
            failures.Add("Emulator:RequestLogCapacity must be >= 1.");
        }

        foreach (var (label, words) in options.Labelling.Keywords)
        {
            if (words.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"Emulator:Labelling:Keywords:{label} must not contain empty words.");
            }
        }

        if (options.Labelling.Fallback is { } fallback && string.IsNullOrWhiteSpace(fallback))
        {
            failures.Add("Emulator:Labelling:Fallback must be a label or unset.");
        }

        foreach (var (deployment, settings) in options.Deployments)
        {
            if (settings.TimeToFirstTokenMs is < 0)
            {
                failures.Add($"Emulator:Deployments:{deployment}:TimeToFirstTokenMs must be >= 0.");
            }

            if (settings.PerOutputTokenMs is < 0)
            {
                failures.Add($"Emulator:Deployments:{deployment}:PerOutputTokenMs must be >= 0.");
            }

            if (settings.Disagreement is { } disagreement && !(disagreement is >= 0 and <= 1))
            {
                failures.Add($"Emulator:Deployments:{deployment}:Disagreement must be within 0..1.");
            }

            if (settings.Fault is { } fault && !ActiveFault.TryCreate(fault, out _, out var error))
            {
                failures.Add($"Emulator:Deployments:{deployment}:Fault: {error}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
