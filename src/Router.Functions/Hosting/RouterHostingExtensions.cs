using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Router.Core;

namespace Router.Functions.Hosting;

public static class RouterHostingExtensions
{
    /// <summary>The one service registration both host modes share.</summary>
    public static IServiceCollection AddRouter(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRouterCore(configuration);
        services.AddSingleton<Http.CallerRequestReader>();
        return services;
    }
}
