using Microsoft.Extensions.Options;
using NCrontab;
using Router.Core.Catalog;

namespace Router.Core.Distillation;

/// <summary>Checks <c>Router:Distillation</c> at start; every message begins with the setting's full name.</summary>
public sealed class DistillationOptionsValidator(IOptions<RouterOptions> router) : IValidateOptions<DistillationOptions>
{
    /// <summary>A Table Storage string property holds 64 KiB of UTF-16; a UTF-8 byte never becomes more than one UTF-16 char.</summary>
    public const int MaxStorableSampleBytes = 32_000;

    public ValidateOptionsResult Validate(string? name, DistillationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = DistillationOptions.SectionName + ":";
        var errors = options.ToSettings().Validate().Select(e => prefix + e).ToList();

        if (string.IsNullOrWhiteSpace(options.Schedule) || CrontabSchedule.TryParse(options.Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is null)
        {
            errors.Add($"{prefix}Schedule: '{options.Schedule}' is not an NCRONTAB expression with six fields (seconds first), e.g. \"{DistillationOptions.DefaultSchedule}\".");
        }

        if (!string.IsNullOrWhiteSpace(options.WebhookUrl)
            && (!Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var hook) || (hook.Scheme != Uri.UriSchemeHttps && hook.Scheme != Uri.UriSchemeHttp)))
        {
            errors.Add($"{prefix}WebhookUrl: '{options.WebhookUrl}' is not an absolute http(s) URL.");
        }

        if (options.WebhookTimeout < TimeSpan.FromMilliseconds(100) || options.WebhookTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{prefix}WebhookTimeout: {options.WebhookTimeout} is outside 00:00:00.1..00:10:00.");
        }

        if (options.WebhookMaxRetries is < 0 or > 10)
        {
            errors.Add($"{prefix}WebhookMaxRetries: {options.WebhookMaxRetries} is outside 0..10.");
        }

        if (options.WebhookRetryDelay < TimeSpan.Zero || options.WebhookRetryDelay > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{prefix}WebhookRetryDelay: {options.WebhookRetryDelay} is outside 0..00:01:00.");
        }

        if (!string.IsNullOrWhiteSpace(options.DefaultSmallModel) && !router.Value.Models.ContainsKey(options.DefaultSmallModel))
        {
            errors.Add($"{prefix}DefaultSmallModel: unknown model '{options.DefaultSmallModel}' (not under Router:Models).");
        }

        if (options.MaxSampleBytes is < 256 or > MaxStorableSampleBytes)
        {
            errors.Add($"{prefix}MaxSampleBytes: {options.MaxSampleBytes} is outside 256..{MaxStorableSampleBytes} (a Table Storage string property holds 64 KiB).");
        }

        if (options.SampleShardCount is < 1 or > 99)
        {
            errors.Add($"{prefix}SampleShardCount: {options.SampleShardCount} is outside 1..99.");
        }

        if (options.SampleQueueCapacity is < 1 or > 1_000_000)
        {
            errors.Add($"{prefix}SampleQueueCapacity: {options.SampleQueueCapacity} is outside 1..1000000.");
        }

        if (options.PromptHistoryDays is < 0 or > 3_650)
        {
            errors.Add($"{prefix}PromptHistoryDays: {options.PromptHistoryDays} is outside 0..3650.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
