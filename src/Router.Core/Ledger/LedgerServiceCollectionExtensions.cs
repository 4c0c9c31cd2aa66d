using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Background;
using Router.Core.Ledger.Fleet;
using Router.Core.Ledger.Journal;

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
        services.AddOptions<JournalOptions>().Bind(configuration.GetSection(JournalOptions.SectionName))
            .Validate(o => o.SegmentBytes is >= 64 * 1024 and <= 1024L * 1024 * 1024, "Router:Ledger:Journal:SegmentBytes must be 65536..1073741824.")
            .Validate(o => o.MaxBytes >= 2 * o.SegmentBytes, "Router:Ledger:Journal:MaxBytes must be at least twice Router:Ledger:Journal:SegmentBytes.")
            .Validate(o => o.MaxAge > TimeSpan.Zero, "Router:Ledger:Journal:MaxAge must be positive.")
            .Validate(o => o.DiskFlushInterval >= TimeSpan.Zero, "Router:Ledger:Journal:DiskFlushInterval must be 0 (never fsync) or positive.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Folder) || Path.IsPathFullyQualified(o.Folder), "Router:Ledger:Journal:Folder must be an absolute path.")
            .ValidateOnStart();

        services.TryAddSingleton(_ => RouterInstance.FromConfiguration(configuration));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<JournalOptions>>().Value;
            var folder = JournalFolder.Resolve(options, sp.GetRequiredService<IOptions<StorageOptions>>().Value);
            try
            {
                return CallJournal.Open(options, folder, sp.GetRequiredService<RouterInstance>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<CallJournal>());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OptionsValidationException(JournalOptions.SectionName, typeof(JournalOptions), [$"Router:Ledger:Journal:Folder: cannot write the journal in {folder} ({ex.Message})."]);
            }
        });
        services.AddBackgroundLoops();
        services.AddSingleton<TableCallLedger>();
        // ICallLedger is registered by AddRouterCore: the request path enqueues through the budget tracker into this writer.
        services.AddHostedService(sp => sp.GetRequiredService<TableCallLedger>());
        // Health reads the backlog through this (the writer, whatever it is, reports its own queue).
        services.TryAddSingleton<ILedgerQueueStatus>(sp => sp.GetRequiredService<TableCallLedger>());
        services.AddSingleton<RollupStore>();
        // The writer continues a restarted instance's shadow rows too; their one reader is the evaluation's.
        services.TryAddSingleton<Evaluation.ShadowEvidenceReader>();
        services.AddOptions<CompactionOptions>().Bind(configuration.GetSection(CompactionOptions.SectionName))
            .Validate(o => NCrontab.CrontabSchedule.TryParse(o.Schedule, new NCrontab.CrontabSchedule.ParseOptions { IncludingSeconds = true }) is not null, "Router:Ledger:Compaction:Schedule must be an NCRONTAB expression with six fields (seconds first), e.g. \"0 */5 * * * *\".")
            .Validate(o => o.ClosedAfter >= TimeSpan.Zero && o.ClosedAfter <= TimeSpan.FromHours(6), "Router:Ledger:Compaction:ClosedAfter must be 0..06:00:00.")
            .Validate(o => o.SpendStaleAfter >= TimeSpan.FromMinutes(1) && o.SpendStaleAfter <= TimeSpan.FromHours(6), "Router:Ledger:Compaction:SpendStaleAfter must be 00:01:00..06:00:00.")
            .Validate(o => o.Parallelism is >= 1 and <= 64, "Router:Ledger:Compaction:Parallelism must be 1..64.")
            .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(15) && o.LeaseDuration <= TimeSpan.FromSeconds(60), "Router:Ledger:Compaction:LeaseDuration must be 00:00:15..00:01:00 (Blob Storage's lease limits).")
            .ValidateOnStart();
        services.AddSingleton<RollupCompactor>();
        services.AddSingleton(sp => new CompactionLease(
            () => sp.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>(),
            sp.GetRequiredService<IOptions<StorageOptions>>(),
            sp.GetRequiredService<IOptions<CompactionOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CompactionLease>>()));
        services.AddSingleton<CallRowUsageSource>();
        services.AddSingleton<UsageReader>();
        return services;
    }
}
