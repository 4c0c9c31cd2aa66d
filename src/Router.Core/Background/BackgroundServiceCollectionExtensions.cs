using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Router.Core.Background;

public static class BackgroundServiceCollectionExtensions
{
    /// <summary>
    /// The loop registry health reads, and the host policy that goes with supervised loops: a
    /// background service that fails anyway is logged and ignored, never a reason to stop serving
    /// requests (the default, StopHost, turned a 30 s storage hang into an outage).
    /// </summary>
    public static IServiceCollection AddBackgroundLoops(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LoopRegistry>();
        services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
        return services;
    }
}
