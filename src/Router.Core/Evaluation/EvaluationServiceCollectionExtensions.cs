using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Router.Core.Evaluation;

public static class EvaluationServiceCollectionExtensions
{
    /// <summary>Shadow evaluation: options (validated at start), the budget, the dispatcher and its workers, the evidence reader.</summary>
    public static IServiceCollection AddShadowEvaluation(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ShadowOptions>().Bind(configuration.GetSection(ShadowOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShadowOptions>, ShadowOptionsValidator>();
        services.TryAddSingleton<ShadowBudget>(); // Try: a test may bring one on a FakeTimeProvider
        services.AddSingleton<ShadowDispatcher>();
        services.AddSingleton<IShadowDispatcher>(sp => sp.GetRequiredService<ShadowDispatcher>());
        services.AddSingleton<Routing.ICallObserver>(sp => sp.GetRequiredService<ShadowDispatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<ShadowDispatcher>());
        services.TryAddSingleton<ShadowEvidenceReader>(); // AddRouterLedger registers it too (its writer reads its own rows at start)
        return services;
    }
}
