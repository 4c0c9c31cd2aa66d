using System.Threading.Channels;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Router.Core.Ledger;

/// <summary>
/// The call ledger: a bounded in-memory queue that the request path writes to without
/// waiting, drained by one background writer that commits entity-group transactions
/// (at most 100 rows, one partition each) to RouterCalls. Rows are upserts keyed by call
/// id, so a batch retried after an ambiguous failure never duplicates a call. While
/// storage is down the writer keeps retrying with backoff and records wait in memory.
/// </summary>
public sealed partial class TableCallLedger : BackgroundService, ICallLedger
{
    /// <summary>Table Storage's limit for one entity-group transaction.</summary>
    public const int MaxBatchSize = 100;

    private readonly Channel<CallRecord> _queue;
    private readonly TableServiceClient _service;
    private readonly LedgerOptions _options;
    private readonly StorageOptions _storage;
    private readonly TimeProvider _time;
    private readonly ILogger<TableCallLedger> _logger;
    private readonly ResiliencePipeline _retry;
    private long _pending;
    private long _dropped;
    private long _oldestInFlightTicks;
    private long _written;
    private long _storageRequests;
    private TableClient? _table;

    public TableCallLedger(TableServiceClient service, IOptions<LedgerOptions> options, IOptions<StorageOptions> storage, TimeProvider time, ILogger<TableCallLedger> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        _service = service;
        _options = options.Value;
        _storage = storage.Value;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<CallRecord>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with Wait, TryWrite reports a full queue instead of dropping silently
            SingleReader = true,
            SingleWriter = false,
        });
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.RetryMaxDelay,
                OnRetry = args =>
                {
                    LogStorageRetry(_logger, args.AttemptNumber + 1, QueueDepth, args.Outcome.Exception?.GetType().Name ?? "none");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public int QueueDepth => (int)Interlocked.Read(ref _pending);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Rows committed to storage since start.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Storage requests made since start (batches and table creation), for the benchmark.</summary>
    public long StorageRequests => Interlocked.Read(ref _storageRequests);

    public TimeSpan? OldestPendingAge
    {
        get
        {
            var inFlight = Interlocked.Read(ref _oldestInFlightTicks);
            DateTimeOffset? oldest = inFlight != 0 ? new DateTimeOffset(inFlight, TimeSpan.Zero) : null;
            if (oldest is null && _queue.Reader.TryPeek(out var next))
            {
                oldest = next.Timestamp;
            }

            return oldest is { } value ? _time.GetUtcNow() - value : null;
        }
    }

    public bool Enqueue(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _pending);
            return true;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        // One warning per power of two keeps a long outage from flooding the log while the count stays visible.
        if ((dropped & (dropped - 1)) == 0)
        {
            LogDropped(_logger, dropped, _options.QueueCapacity);
        }

        RouterMetrics.LedgerDropped.Add(1);
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var buffer = new List<CallRecord>(_options.MaxRecordsPerCycle);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // Let batches fill: at high volume one cycle then carries hundreds of rows per partition.
                await Task.Delay(_options.FlushInterval, _time, stoppingToken);
                Drain(buffer);
                await WriteAsync(buffer, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Graceful shutdown: flush what is left within the configured deadline.
        }

        using var deadline = new CancellationTokenSource(_options.ShutdownFlushTimeout, _time);
        try
        {
            await WriteAsync(buffer, deadline.Token);
            while (_queue.Reader.TryPeek(out _))
            {
                Drain(buffer);
                await WriteAsync(buffer, deadline.Token);
            }

            LogFlushed(_logger, Written);
        }
        catch (OperationCanceledException)
        {
            LogFlushIncomplete(_logger, QueueDepth, _options.ShutdownFlushTimeout);
        }
    }

    private void Drain(List<CallRecord> buffer)
    {
        while (buffer.Count < _options.MaxRecordsPerCycle && _queue.Reader.TryRead(out var record))
        {
            buffer.Add(record);
        }

        if (buffer.Count > 0)
        {
            Interlocked.Exchange(ref _oldestInFlightTicks, buffer.Min(r => r.Timestamp.UtcTicks));
        }
    }

    private async Task WriteAsync(List<CallRecord> buffer, CancellationToken cancellationToken)
    {
        if (buffer.Count == 0)
        {
            return;
        }

        var table = await GetTableAsync(cancellationToken);
        foreach (var partition in buffer.GroupBy(r => LedgerKeys.CallPartition(r.Timestamp, r.Task, r.CallId, _options.ShardCount)))
        {
            foreach (var chunk in partition.Chunk(MaxBatchSize))
            {
                var actions = chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, CallRecordEntity.ToEntity(r, _options.ShardCount))).ToList();
                await _retry.ExecuteAsync(
                    async ct =>
                    {
                        Interlocked.Increment(ref _storageRequests);
                        await table.SubmitTransactionAsync(actions, ct);
                    },
                    cancellationToken);
                Interlocked.Add(ref _written, chunk.Length);
                Interlocked.Add(ref _pending, -chunk.Length);
            }
        }

        buffer.Clear();
        Interlocked.Exchange(ref _oldestInFlightTicks, 0);
    }

    private async Task<TableClient> GetTableAsync(CancellationToken cancellationToken)
    {
        if (_table is not null)
        {
            return _table;
        }

        var table = _service.GetTableClient(_storage.CallsTable);
        await _retry.ExecuteAsync(
            async ct =>
            {
                Interlocked.Increment(ref _storageRequests);
                await table.CreateIfNotExistsAsync(ct);
            },
            cancellationToken);
        return _table = table;
    }

    /// <summary>Storage down, busy or slow: keep the records and try again. A 4xx other than 408/429 is a bug and must surface.</summary>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        RequestFailedException => false,
        HttpRequestException or TimeoutException or IOException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        OperationCanceledException => false,
        _ => false,
    };

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Ledger queue full ({Capacity} records): {Dropped} call records could not be kept")]
    private static partial void LogDropped(ILogger logger, long dropped, int capacity);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Table Storage write failed (attempt {Attempt}, {QueueDepth} records waiting): {ErrorType}")]
    private static partial void LogStorageRetry(ILogger logger, int attempt, int queueDepth, string errorType);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Ledger flushed at shutdown; {Written} records written since start")]
    private static partial void LogFlushed(ILogger logger, long written);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Ledger shutdown flush timed out after {Timeout}: {QueueDepth} records not written")]
    private static partial void LogFlushIncomplete(ILogger logger, int queueDepth, TimeSpan timeout);
}
