using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Router.Core.Background;

namespace Router.Core.Ledger;

public static class LedgerServiceCollectionExtensions
{
    /// <summary>The call ledger (options validated at start), its background writer, and the usage reader over RouterRollups.</summary>
    public static IServiceCollection AddRouterLedger(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LedgerOptions>().Bind(configuration.GetSection(LedgerOptions.SectionName))
            .Validate(o => o.QueueCapacity >= 1_000, "Router:Ledger:QueueCapacity must be at least 1000.")
            .Validate(o => o.ShardCount is >= 1 and <= 99, "Router:Ledger:ShardCount must be 1..99.")
            .Validate(o => o.MaxRecordsPerCycle >= TableCallLedger.MaxBatchSize, "Router:Ledger:MaxRecordsPerCycle must be at least 100.")
            .Validate(o => o.FlushInterval >= TimeSpan.Zero && o.FlushInterval <= TimeSpan.FromMinutes(1), "Router:Ledger:FlushInterval must be 0..00:01:00.")
            .Validate(o => o.RollupFlushInterval >= TimeSpan.Zero && o.RollupFlushInterval <= TimeSpan.FromMinutes(10), "Router:Ledger:RollupFlushInterval must be 0..00:10:00.")
            .Validate(o => o.ShutdownFlushTimeout > TimeSpan.Zero, "Router:Ledger:ShutdownFlushTimeout must be positive.")
            .Validate(o => o.RetryBaseDelay > TimeSpan.Zero && o.RetryMaxDelay >= o.RetryBaseDelay, "Router:Ledger:RetryBaseDelay must be positive and at most Router:Ledger:RetryMaxDelay.")
            .ValidateOnStart();

        services.TryAddSingleton(_ => RouterInstance.FromConfiguration(configuration));
        services.AddBackgroundLoops();
        services.AddSingleton<TableCallLedger>();
        // ICallLedger is registered by AddRouterCore: the request path enqueues through the budget tracker into this writer.
        services.AddHostedService(sp => sp.GetRequiredService<TableCallLedger>());
        // Health reads the backlog through this (the writer, whatever it is, reports its own queue).
        services.TryAddSingleton<ILedgerQueueStatus>(sp => sp.GetRequiredService<TableCallLedger>());
        services.AddSingleton<RollupStore>();
        services.AddSingleton<UsageReader>();
        return services;
    }
}
