namespace Router.Core.Ledger;

/// <summary>The call ledger (<c>Router:Ledger</c>).</summary>
public sealed class LedgerOptions
{
    public const string SectionName = "Router:Ledger";

    /// <summary>Records held in memory while storage is slow or down.</summary>
    public int QueueCapacity { get; set; } = 200_000;

    /// <summary>Partitions per task and day; keeps each partition under ~2,000 entities/s.</summary>
    public int ShardCount { get; set; } = 4;

    /// <summary>How long the writer waits to fill batches before it writes.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Records taken off the queue per write cycle.</summary>
    public int MaxRecordsPerCycle { get; set; } = 2_000;

    /// <summary>How long a graceful shutdown waits for the queue to drain.</summary>
    public TimeSpan ShutdownFlushTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Backoff between attempts while storage fails (the writer never gives up on a record).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// This instance's name in RouterRollups row keys, so instances never write the same row.
    /// Empty: WEBSITE_INSTANCE_ID or machine name, plus process id and a random suffix (<see cref="RouterInstance"/>).
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>Rollup rows are upserted at most this often (per task partition one batch), to keep storage requests per call low.</summary>
    public TimeSpan RollupFlushInterval { get; set; } = TimeSpan.FromSeconds(5);
}
