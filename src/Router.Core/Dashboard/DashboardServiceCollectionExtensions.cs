using Microsoft.Extensions.DependencyInjection;

namespace Router.Core.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>What GET /api/dashboard/data needs; the usage reader and the report service are registered with the ledger and distillation.</summary>
    public static IServiceCollection AddRouterDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardService>();
        return services;
    }
}
