using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Router.Core.Background;
using Router.Core.Catalog;
using Router.Core.Classifier;
using Router.Core.Dashboard;
using Router.Core.Distillation;
using Router.Core.Evaluation;
using Router.Core.Health;
using Router.Core.Ledger;
using Router.Core.Models;
using Router.Core.Promotion;
using Router.Core.Routing;
using Router.Core.Security;
using Router.Core.Telemetry;

namespace Router.Core;

public static class RouterServiceCollectionExtensions
{
    /// <summary>Everything Router needs except hosting: options (validated at start), catalog, models, ledger, health.</summary>
    public static IServiceCollection AddRouterCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddBackgroundLoops();

        services.AddOptions<RouterOptions>().Bind(configuration.GetSection(RouterOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RouterOptions>, RouterOptionsValidator>();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString) || Uri.TryCreate(o.TableServiceUri, UriKind.Absolute, out _), "Router:Storage: set ConnectionString (Azurite, local) or TableServiceUri (Azure, managed identity).")
            .ValidateOnStart();
        services.AddOptions<ModelResilienceOptions>().Bind(configuration.GetSection(ModelResilienceOptions.SectionName))
            .Validate(o => o.MaxRetries is >= 0 and <= 10, "Router:Resilience:MaxRetries must be 0..10.")
            .Validate(o => o.CircuitFailureRatio is > 0 and <= 1, "Router:Resilience:CircuitFailureRatio must be in (0, 1].")
            .ValidateOnStart();

        services.AddSingleton<TokenCounter>();
        services.AddSingleton<TaskCatalog>();
        services.AddSingleton<PromptBuilder>();
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton<CallRecordFactory>();
        services.AddSingleton<CallRecorder>();
        services.AddSingleton<CallFlow>();
        services.AddSingleton<HealthChecker>();
        services.TryAddSingleton(CreateTableServiceClient); // Try: a test may bring its own client (fault injection)
        services.AddRouterLedger(configuration);
        services.AddSingleton<ICallLedger>(sp => new SpendTrackingLedger(sp.GetRequiredService<TableCallLedger>(), sp.GetRequiredService<ClientSpendTracker>()));
        services.AddClientLimits(configuration);

        services.AddHttpClient(HealthChecker.HttpClientName);
        services.AddModelHttpClients(configuration);
        services.AddLocalClassifiers(configuration);
        services.AddSingleton<ChatModelRegistry>();
        services.AddRouterTelemetryCore();
        services.AddRouterDashboard();
        services.AddDistillation(configuration);
        services.AddShadowEvaluation(configuration);
        services.AddRouteOverrides(configuration);
        return services;
    }

    /// <summary>Budgets and rate limits per client: spend counted as calls are recorded, other instances' spend read from the rollups.</summary>
    private static void AddClientLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => RouterInstance.FromConfiguration(configuration));
        services.TryAddSingleton<ISpendSource, RollupSpendSource>();
        services.AddSingleton<ClientSpendTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<ClientSpendTracker>());
        services.AddSingleton<ClientAdmission>();
    }

    /// <summary>One named HttpClient per deployment, each with its own retry, timeout and circuit breaker.</summary>
    private static void AddModelHttpClients(this IServiceCollection services, IConfiguration configuration)
    {
        // The model's own endpoint and each of its Backends get a client (and so a circuit breaker) of their own.
        var modelNames = configuration.GetSection(RouterOptions.SectionName + ":Models").GetChildren()
            .SelectMany(c => c.GetSection("Backends").GetChildren().Select(b => BackendFailover.HttpClientName(c.Key, int.Parse(b.Key, System.Globalization.CultureInfo.InvariantCulture))).Prepend(BackendFailover.HttpClientName(c.Key, null)));
        var resilience = configuration.GetSection(ModelResilienceOptions.SectionName).Get<ModelResilienceOptions>() ?? new ModelResilienceOptions();
        var deadline = configuration.GetSection(RouterOptions.SectionName).Get<RouterOptions>()?.RequestTimeout ?? TimeSpan.FromSeconds(100);
        foreach (var name in modelNames)
        {
            services.AddHttpClient(name, client => client.Timeout = Timeout.InfiniteTimeSpan)
                // Per-request HttpClient logging (two handlers, a scope each call) is noise at model-call volume;
                // failures surface as ModelCallException and Router's own logs and spans.
                .RemoveAllLoggers()
                .AddStandardResilienceHandler(o =>
                {
                    o.Retry.MaxRetryAttempts = Math.Max(1, resilience.MaxRetries);
                    o.Retry.Delay = resilience.RetryBaseDelay;
                    o.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
                    o.Retry.UseJitter = true;
                    o.Retry.ShouldRetryAfterHeader = true;
                    if (resilience.MaxRetries == 0)
                    {
                        o.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
                    }

                    // Polly needs the total timeout above the attempt timeout; a deadline shorter than one attempt caps it.
                    o.AttemptTimeout.Timeout = resilience.AttemptTimeout < deadline ? resilience.AttemptTimeout : deadline - TimeSpan.FromMilliseconds(10);
                    o.TotalRequestTimeout.Timeout = deadline;
                    o.CircuitBreaker.FailureRatio = resilience.CircuitFailureRatio;
                    o.CircuitBreaker.MinimumThroughput = resilience.CircuitMinimumThroughput;
                    o.CircuitBreaker.SamplingDuration = resilience.CircuitSamplingDuration > 2 * resilience.AttemptTimeout ? resilience.CircuitSamplingDuration : 2 * resilience.AttemptTimeout;
                    o.CircuitBreaker.BreakDuration = resilience.CircuitBreakDuration;
                });
        }
    }

    private static TableServiceClient CreateTableServiceClient(IServiceProvider services)
    {
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var options = new TableClientOptions();
        // The ledger retries with its own Polly pipeline; the SDK's retries would only delay that.
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            return new TableServiceClient(storage.ConnectionString, options);
        }

        TokenCredential credential = storage.ManagedIdentityClientId is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        return new TableServiceClient(new Uri(storage.TableServiceUri!), credential, options);
    }
}
