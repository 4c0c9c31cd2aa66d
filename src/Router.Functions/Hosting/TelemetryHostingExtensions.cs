using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Router.Core;
using Router.Core.Ledger;

namespace Router.Functions.Hosting;

/// <summary>
/// OpenTelemetry for both host modes: Router's ActivitySource and Meter, exported over OTLP when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set (every standard OTEL_* setting is honoured, from the
/// environment or any configuration source) and to Azure Monitor when
/// APPLICATIONINSIGHTS_CONNECTION_STRING is set.
/// </summary>
public static class TelemetryHostingExtensions
{
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string AppInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string DefaultServiceName = "router";

    public static IOpenTelemetryBuilder AddRouterTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);
        var appInsights = configuration[AppInsightsSetting] is { Length: > 0 } connectionString ? connectionString : null;
        var credential = appInsights is null ? null : AzureMonitorCredential(configuration);
        if (!otlp && appInsights is null)
        {
            // No exporter: no OpenTelemetry providers either, so nothing listens on the hot path.
            // In-process listeners (ActivityListener, MeterListener) still see Router's spans and metrics.
            return services.AddOpenTelemetry();
        }

        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? DefaultServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(RouterTelemetry.Name);
                // The HTTP request span must be sampled too: Router's spans are its children, and the
                // default parent-based sampler drops children of an unsampled (uninstrumented) request.
                // Query strings are redacted by this instrumentation, so a ?key= never reaches telemetry.
                tracing.AddAspNetCoreInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }

                if (appInsights is not null)
                {
                    tracing.AddAzureMonitorTraceExporter(o => Configure(o, appInsights, credential));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(RouterTelemetry.Name);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }

                if (appInsights is not null)
                {
                    metrics.AddAzureMonitorMetricExporter(o => Configure(o, appInsights, credential));
                }
            });

        if (otlp || appInsights is not null)
        {
            builder.WithLogging(logging =>
            {
                if (otlp)
                {
                    logging.AddOtlpExporter();
                }

                if (appInsights is not null)
                {
                    logging.AddAzureMonitorLogExporter(o => Configure(o, appInsights, credential));
                }
            });
        }

        return builder;
    }

    private static void Configure(AzureMonitorExporterOptions options, string connectionString, TokenCredential? credential)
    {
        options.ConnectionString = connectionString;
        if (credential is not null)
        {
            options.Credential = credential;
        }
    }

    /// <summary>
    /// App Insights has local (key) auth disabled in infra, so ingestion needs Entra ID: the
    /// user-assigned identity named by Router:Storage:ManagedIdentityClientId or AZURE_CLIENT_ID.
    /// </summary>
    private static ManagedIdentityCredential? AzureMonitorCredential(IConfiguration configuration)
    {
        var clientId = configuration[StorageOptions.SectionName + ":ManagedIdentityClientId"] is { Length: > 0 } id ? id : configuration["AZURE_CLIENT_ID"];
        return string.IsNullOrWhiteSpace(clientId)
            ? null
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
