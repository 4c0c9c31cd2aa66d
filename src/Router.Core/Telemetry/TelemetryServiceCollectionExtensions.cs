using Microsoft.Extensions.DependencyInjection;

namespace Router.Core.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The ledger gauge (Router:Telemetry binds with RouterOptions); exporters are the host's business (Router.Functions/Hosting).</summary>
    public static IServiceCollection AddRouterTelemetryCore(this IServiceCollection services)
    {
        services.AddHostedService<LedgerGaugeRegistration>();
        return services;
    }
}
