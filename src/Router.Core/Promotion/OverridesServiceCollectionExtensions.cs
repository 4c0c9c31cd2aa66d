using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Router.Core.Promotion;

public static class OverridesServiceCollectionExtensions
{
    /// <summary>Promoted routes: options (validated at start), the store, the applied state, promotion and the refresher with its rollback rule.</summary>
    public static IServiceCollection AddRouteOverrides(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RouteOverrideOptions>().Bind(configuration.GetSection(RouteOverrideOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RouteOverrideOptions>, RouteOverrideOptionsValidator>();
        services.AddSingleton<RouteOverrideStore>();
        services.AddSingleton<RouteOverrides>();
        services.AddSingleton<CascadeRateReader>();
        services.AddSingleton<PromotedRouteReader>();
        services.AddSingleton<TaskLifecycleReader>();
        services.AddSingleton<RoutePromotion>();
        services.AddSingleton<RouteOverrideRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<RouteOverrideRefresher>());
        return services;
    }
}
