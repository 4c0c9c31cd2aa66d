using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Router.Core.Distillation.Reporting;
using Router.Core.Distillation.Samples;

namespace Router.Core.Distillation;

public static class DistillationServiceCollectionExtensions
{
    /// <summary>The report (reader, store, webhook, service) and sample capture, with <c>Router:Distillation</c> validated at start.</summary>
    public static IServiceCollection AddDistillation(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DistillationOptions>().Bind(configuration.GetSection(DistillationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DistillationOptions>, DistillationOptionsValidator>();

        services.AddSingleton<RollupUsageReader>();
        services.AddSingleton<SampleStore>();
        services.AddSingleton<DistillationReportStore>();
        services.AddSingleton<DistillationWebhook>();
        services.AddSingleton<DistillationReportService>();

        services.AddSingleton<TableSampleCapture>();
        services.AddSingleton<ISampleCapture>(sp => sp.GetRequiredService<TableSampleCapture>());
        services.AddHostedService(sp => sp.GetRequiredService<TableSampleCapture>());

        AddWebhookClient(services, configuration.GetSection(DistillationOptions.SectionName).Get<DistillationOptions>() ?? new DistillationOptions());
        return services;
    }

    private static void AddWebhookClient(IServiceCollection services, DistillationOptions options)
    {
        var attempts = Math.Max(0, options.WebhookMaxRetries) + 1;
        var total = options.WebhookTimeout > TimeSpan.Zero ? options.WebhookTimeout : TimeSpan.FromSeconds(60);
        // Each attempt gets an equal share of the deadline, so every retry still has time to run.
        var attempt = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, total.Ticks / attempts));
        services.AddHttpClient(DistillationWebhook.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.MaxRetryAttempts = Math.Max(1, options.WebhookMaxRetries);
                o.Retry.Delay = options.WebhookRetryDelay;
                o.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
                o.Retry.UseJitter = true;
                if (options.WebhookMaxRetries == 0)
                {
                    o.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
                }

                o.AttemptTimeout.Timeout = attempt;
                o.TotalRequestTimeout.Timeout = total + TimeSpan.FromMilliseconds(1);
                o.CircuitBreaker.SamplingDuration = attempt * 2 > TimeSpan.FromSeconds(30) ? attempt * 2 : TimeSpan.FromSeconds(30);
            });
    }
}
