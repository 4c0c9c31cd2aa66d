using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Router.Core.Distillation;

namespace Router.Core.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>What GET /api/dashboard/data needs: the rollup reader, the builder and the (pure) distillation analyzer.</summary>
    public static IServiceCollection AddRouterDashboard(this IServiceCollection services)
    {
        services.TryAddSingleton<DistillationAnalyzer>();
        services.AddSingleton<DashboardRollups>();
        services.AddSingleton<DashboardBuilder>();
        services.AddSingleton<DashboardService>();
        return services;
    }
}
