using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Background;
using Router.Core.Ledger.Fleet;
using Router.Core.Evaluation;
using Router.Core.Ledger.Journal;
using Router.Core.Ledger.Writer;

namespace Router.Core.Ledger;

/// <summary>
/// The call ledger: a bounded in-memory queue that the request path writes to without
/// waiting, drained by one background writer that commits entity-group transactions
/// (at most 100 rows, one partition each) to RouterCalls. Rows are upserts keyed by call
/// id, so a batch retried after an ambiguous failure never duplicates a call. While
/// storage is down the writer keeps retrying with backoff and records wait in memory.
/// Committed records feed this instance's hourly rollups, written as absolute totals
/// (RouterRollups) at most once per <see cref="LedgerOptions.RollupFlushInterval"/>.
/// A hung or failing storage (timeouts included) is an outage, never the writer's end: it retries
/// with backoff, reports the outage to health as loop <c>ledger-writer</c>, and its supervisor
/// restarts it if it ever throws; records being written stay in a field, so a restart loses none.
/// The shutdown flush runs from StopAsync, so it runs even if the loop never got its first turn.
/// Under the queue lies the journal (<see cref="CallJournal"/>): each served record is appended to a
/// local file before it is queued, acknowledged once committed and rolled up, and replayed by the next
/// start if the process dies first (<see cref="JournalReplayer"/>, the loop's first step).
/// </summary>
public sealed partial class TableCallLedger : SupervisedLoop, ICallLedger
{
    /// <summary>This writer's name in /api/health and in router.background.failures.</summary>
    public const string LoopName = "ledger-writer";

    /// <summary>Table Storage's limit for one entity-group transaction.</summary>
    public const int MaxBatchSize = TableBatchCommitter.MaxBatchSize;

    private readonly PendingWrites<QueuedRecord> _queue;
    private readonly CallJournal _journal;
    private readonly JournalReplayer _replayer;
    private bool _replayDone;
    private bool _ownRowsLoaded;
    private readonly RollupStore _rollupStore;
    private readonly Evaluation.ShadowEvidenceReader _shadowRows;
    private long _drainedSeq;
    private readonly HashSet<CallRecord> _rejectedInCycle = new(ReferenceEqualityComparer.Instance);
    private readonly LedgerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TableCallLedger> _logger;
    private readonly TableBatchCommitter _calls;
    private readonly TableBatchCommitter _rollupTable;
    private readonly RollupAggregator _rollups;
    private readonly TableBatchCommitter _shadowRollupTable;
    private readonly ShadowRollupAggregator _shadowRollups;
    private readonly List<QueuedRecord> _buffer;
    private long _dropped;
    private long _rejected;
    private long _oldestInFlightTicks;
    private long _written;
    private long _rollupRowsWritten;
    private long _lastRollupFlushTimestamp;

    public TableCallLedger(TableServiceClient service, IOptions<LedgerOptions> options, IOptions<StorageOptions> storage, IOptions<JournalOptions> journalOptions, CallJournal journal, RollupStore rollupStore, Evaluation.ShadowEvidenceReader shadowRows, RouterInstance instance, LoopRegistry loops, TimeProvider time, ILogger<TableCallLedger> logger)
        : base(LoopName, loops, time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(journalOptions);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(instance);
        _journal = journal;
        _replayer = new JournalReplayer(journal.Folder, journal.Name, rollupStore, journalOptions.Value, time, logger);
        _replayDone = !journal.Enabled;
        _rollupStore = rollupStore;
        _shadowRows = shadowRows;
        // A generated instance name is new with this process: nothing stored under it to continue.
        _ownRowsLoaded = !instance.Configured;
        _options = options.Value;
        _time = time;
        _logger = logger;
        // One commit mechanism for every table this writer fills (shared with the sample writer): batches, retries, refusals.
        var retry = StorageRetry.Create(time, Loop, _options.RetryBaseDelay, _options.RetryMaxDelay);
        _calls = new TableBatchCommitter(new LedgerTable(service, storage.Value.CallsTable), retry, Loop);
        _rollupTable = new TableBatchCommitter(new LedgerTable(service, storage.Value.RollupsTable), retry, Loop);
        _rollups = new RollupAggregator(instance.Id);
        _shadowRollupTable = new TableBatchCommitter(new LedgerTable(service, storage.Value.ShadowRollupsTable), retry, Loop);
        _shadowRollups = new ShadowRollupAggregator(instance.Id);
        _lastRollupFlushTimestamp = time.GetTimestamp();
        _buffer = new List<QueuedRecord>(_options.MaxRecordsPerCycle);
        _queue = new PendingWrites<QueuedRecord>(_options.QueueCapacity);
    }

    public int QueueDepth => _queue.Pending;

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records storage refused for good (a non-transient error such as 400); counted and logged, never retried forever.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Rows committed to RouterCalls since start.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Storage requests made since start (call batches, rollup batches, table creation), for the benchmark.</summary>
    public long StorageRequests => _calls.Table.Requests + _rollupTable.Table.Requests + _shadowRollupTable.Table.Requests;

    /// <summary>Rollup rows upserted since start.</summary>
    public long RollupRowsWritten => Interlocked.Read(ref _rollupRowsWritten);

    /// <summary>The name this instance writes its rollup rows under.</summary>
    public string InstanceId => _rollups.Instance;

    public TimeSpan? OldestPendingAge
    {
        get
        {
            var inFlight = Interlocked.Read(ref _oldestInFlightTicks);
            DateTimeOffset? oldest = inFlight != 0 ? new DateTimeOffset(inFlight, TimeSpan.Zero) : null;
            if (oldest is null && _queue.TryPeek(out var next))
            {
                oldest = next.Record.Timestamp;
            }

            return oldest is { } value ? _time.GetUtcNow() - value : null;
        }
    }

    public long NotJournaled => _journal.Full + _journal.Failed;

    long ILedgerQueueStatus.Replayed => _replayer.Replayed;

    /// <summary>The journal's figures, for health and the tests.</summary>
    public CallJournal Journal => _journal;

    /// <summary>Records replayed from dead processes' journals since start, and those the replay skipped (unreadable, expired).</summary>
    public (long Replayed, long Unreadable, long Expired) Replay => (_replayer.Replayed, _replayer.Unreadable, _replayer.Expired);

    /// <summary>Whether the start-up replay of dead processes' journals is done (the tests wait for it).</summary>
    public bool ReplayDone => Volatile.Read(ref _replayDone);

    public bool Enqueue(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        // Journaled first (one write to the OS), queued second, both under the queue's lock: the
        // queue's order is the journal's, so "every record up to seq N is written" holds.
        // Shadow calls are evaluation, not service: not journaled (a crash may lose a few samples).
        if (_queue.TryAdd(static s => new QueuedRecord(s.record, s.record.Shadow is null ? s.journal.Append(s.record) : 0), (record, journal: _journal)))
        {
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

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!_replayDone)
        {
            // What dead processes journaled but never wrote goes first (retried like any write while storage is down).
            await _replayer.ReplayAsync(ReplayCallsAsync, ReplayRollupsAsync, RollupsOf, _options.MaxRecordsPerCycle, stoppingToken);
            Volatile.Write(ref _replayDone, true);
        }

        if (!_ownRowsLoaded)
        {
            // Before the first rollup flush: a restarted instance with a configured name continues the hour
            // rows it stored before, or its first flush would overwrite them with this process's smaller totals.
            await LoadOwnRowsAsync(stoppingToken);
            _ownRowsLoaded = true;
        }

        // After a restart the buffer may still hold records of the cycle that threw: they go first.
        await WriteCallsAsync(_buffer, stoppingToken);
        while (true)
        {
            await WaitForWorkAsync(stoppingToken);
            if (_queue.TryPeek(out _))
            {
                // Let batches fill: at high volume one cycle then carries hundreds of rows per partition.
                await Task.Delay(_options.FlushInterval, _time, stoppingToken);
                Drain(_buffer);
                await WriteCallsAsync(_buffer, stoppingToken);
            }

            if (_time.GetElapsedTime(_lastRollupFlushTimestamp) >= _options.RollupFlushInterval)
            {
                await FlushRollupsAsync(stoppingToken);
            }
        }
    }

    /// <summary>Graceful shutdown: flush what is left (the buffer, the queue, the rollups) within the configured deadline.</summary>
    protected override async Task OnStoppedAsync()
    {
        using var deadline = new CancellationTokenSource(_options.ShutdownFlushTimeout, _time);
        try
        {
            await WriteCallsAsync(_buffer, deadline.Token);
            while (_queue.TryPeek(out _))
            {
                Drain(_buffer);
                await WriteCallsAsync(_buffer, deadline.Token);
            }

            await FlushRollupsAsync(deadline.Token);
            _journal.Dispose(); // everything acknowledged: the journal's files go
            LogFlushed(_logger, Written);
        }
#pragma warning disable CA1031 // Past the deadline Polly hands back the last failure, whatever it was: the stop must still finish.
        catch (Exception ex) when (deadline.IsCancellationRequested || ex is OperationCanceledException)
#pragma warning restore CA1031
        {
            LogFlushIncomplete(_logger, QueueDepth, _options.ShutdownFlushTimeout);
        }
    }

    /// <summary>Waits for records, or only until the next rollup flush is due while rollup rows wait to be written.</summary>
    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        var records = _queue.WaitToReadAsync(stoppingToken);
        if (records.IsCompleted || !(_rollups.HasDirty || _shadowRollups.HasDirty))
        {
            await records;
            return;
        }

        var due = _options.RollupFlushInterval - _time.GetElapsedTime(_lastRollupFlushTimestamp);
        if (due > TimeSpan.Zero)
        {
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var recordsTask = records.AsTask();
            var timer = Task.Delay(due, _time, wake.Token);
            await Task.WhenAny(recordsTask, timer);
            await wake.CancelAsync();
            stoppingToken.ThrowIfCancellationRequested();
        }
    }

    private void Drain(List<QueuedRecord> buffer)
    {
        var first = buffer.Count;
        _queue.Drain(buffer, _options.MaxRecordsPerCycle);
        for (var i = first; i < buffer.Count; i++)
        {
            if (buffer[i].Seq > 0)
            {
                _drainedSeq = buffer[i].Seq;
            }
        }

        if (buffer.Count > 0)
        {
            var oldest = long.MaxValue;
            foreach (var queued in buffer)
            {
                oldest = Math.Min(oldest, queued.Record.Timestamp.UtcTicks);
            }

            Interlocked.Exchange(ref _oldestInFlightTicks, oldest);
        }
    }

    /// <summary>Commits the buffer partition by partition; records leave the buffer as their batch commits, so a cancelled cycle never counts one twice.</summary>
    private async Task WriteCallsAsync(List<QueuedRecord> buffer, CancellationToken cancellationToken)
    {
        if (buffer.Count == 0)
        {
            return;
        }

        var done = new HashSet<CallRecord>(ReferenceEqualityComparer.Instance);
        try
        {
            await _calls.CommitAsync(
                buffer.Select(q => q.Record),
                CallPartition,
                r => CallRecordEntity.ToEntity(r, _options.ShardCount),
                (committed, batch) =>
                {
                    foreach (var record in committed)
                    {
                        // Shadow calls are evaluation, not service: they roll up into RouterShadowRollups only.
                        if (record.Shadow is not null)
                        {
                            _shadowRollups.Add(record);
                        }
                        else
                        {
                            _rollups.Add(record);
                        }

                        done.Add(record);
                    }

                    // The batch is settled: what storage refused left the queue too (counted as rejected).
                    done.UnionWith(_rejectedInCycle);
                    _rejectedInCycle.Clear();
                    Interlocked.Add(ref _written, committed.Count);
                    _queue.Done(batch);
                },
                Reject,
                cancellationToken);
            buffer.Clear();
            Interlocked.Exchange(ref _oldestInFlightTicks, 0);
        }
        finally
        {
            if (buffer.Count > 0)
            {
                // Records of settled batches leave; those of the batch cut short stay for the next cycle.
                buffer.RemoveAll(q => done.Contains(q.Record));
            }

            _rejectedInCycle.Clear();
        }
    }

    /// <summary>The replay's call rows: the same batches and retries as live records, but rolled up by the replayer (into the dead instance's rows).</summary>
    private async Task<IReadOnlyList<CallRecord>> ReplayCallsAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken)
    {
        var written = new List<CallRecord>(records.Count);
        await _calls.CommitAsync(records, CallPartition, r => CallRecordEntity.ToEntity(r, _options.ShardCount), (committed, _) => written.AddRange(committed), Reject, cancellationToken);
        _rejectedInCycle.Clear();
        Interlocked.Add(ref _written, written.Count);
        return written;
    }

    /// <summary>
    /// Seeds the rollups with the rows this instance stored for the hours it may still write (those not yet
    /// forgotten, <see cref="RollupAggregator.RetainAfterHourEnd"/>); rows the replay already continued are kept.
    /// </summary>
    private async Task LoadOwnRowsAsync(CancellationToken cancellationToken)
    {
        var hour = RollupKey.HourOf(_time.GetUtcNow());
        var stored = await _rollupStore.ReadAsync(
            new RollupRead { Instance = _rollups.Instance, PerInstance = true, From = hour - RollupAggregator.RetainAfterHourEnd - TimeSpan.FromHours(1), To = hour.AddHours(1) },
            cancellationToken);
        foreach (var row in stored)
        {
            _rollups.Seed(row);
        }

        // The shadow evaluation's rows too: a promotion or rollback reads them, so they must not restart from zero either.
        var shadow = await _shadowRows.ReadRowsAsync(hour - RollupAggregator.RetainAfterHourEnd - TimeSpan.FromHours(1), hour.AddHours(1), task: null, _shadowRollups.Instance, cancellationToken);
        foreach (var row in shadow)
        {
            _shadowRollups.Seed(row);
        }

        if (stored.Count + shadow.Count > 0)
        {
            LogContinued(_logger, _rollups.Instance, stored.Count + shadow.Count);
        }
    }

    private string CallPartition(CallRecord r) => LedgerKeys.CallPartition(r.Timestamp, r.Task, r.CallId, _options.ShardCount);

    private async Task<bool> ReplayRollupsAsync(RollupAggregator rollups, long journalSeq, CancellationToken cancellationToken) =>
        await FlushRowsAsync(_rollupTable, rollups.TakeDirty(journalSeq), r => r.Task, RollupEntity.ToEntity, rollups.MarkDirty, cancellationToken, MarkerOf);

    /// <summary>A dead process's rows are its instance's; a process restarted under the same configured name continues its own.</summary>
    private RollupAggregator RollupsOf(string instance) => instance == _rollups.Instance ? _rollups : new RollupAggregator(instance);

    /// <summary>Every journal record up to this sequence number is committed and in the in-memory rollups.</summary>
    private long RolledUpSeq()
    {
        var lowest = long.MaxValue;
        foreach (var queued in _buffer)
        {
            if (queued.Seq > 0)
            {
                lowest = Math.Min(lowest, queued.Seq);
            }
        }

        return lowest == long.MaxValue ? _drainedSeq : lowest - 1;
    }

    private void Reject(CallRecord record, Exception error)
    {
        _rejectedInCycle.Add(record);
        Interlocked.Increment(ref _rejected);
        RouterMetrics.LedgerRejected.Add(1);
        var (status, code) = TableBatchCommitter.Describe(error);
        LogRejected(_logger, record.CallId, record.Task, status, code);
    }

    /// <summary>Upserts every changed rollup and shadow rollup row as absolute totals: one transaction per task partition and 100 rows.</summary>
    private async Task FlushRollupsAsync(CancellationToken cancellationToken)
    {
        _lastRollupFlushTimestamp = _time.GetTimestamp();
        var rolledUp = RolledUpSeq();
        var written = await FlushRowsAsync(_rollupTable, _rollups.TakeDirty(rolledUp), r => r.Task, RollupEntity.ToEntity, _rollups.MarkDirty, cancellationToken, MarkerOf);
        await FlushRowsAsync(_shadowRollupTable, _shadowRollups.TakeDirty(), r => r.Task, ShadowRollupEntity.ToEntity, _shadowRollups.MarkDirty, cancellationToken);
        if (written)
        {
            // Committed and in stored rollups: the journal no longer needs these records.
            _journal.Acknowledge(rolledUp);
        }

        var oldest = OldestPendingAge is { } age ? _time.GetUtcNow() - age : _time.GetUtcNow();
        _rollups.Evict(oldest);
        _shadowRollups.Evict(oldest);
    }

    /// <summary>The compaction marker of a rollup row's hour (docs/ledger.md, "Compaction"), committed with the row.</summary>
    private static TableEntity MarkerOf(RollupRecord row) => RollupMarkers.ToEntity(row.Task, row.Hour, row.Instance);

    /// <summary>Upserts the rows whole, one transaction per task partition and 100 rows; false when storage refused some (they stay dirty, written again with their next change).</summary>
    private async Task<bool> FlushRowsAsync<TRow>(TableBatchCommitter table, IReadOnlyList<TRow> dirty, Func<TRow, string> partition, Func<TRow, TableEntity> toEntity, Action<IEnumerable<TRow>> markDirty, CancellationToken cancellationToken, Func<TRow, TableEntity>? markerOf = null)
        where TRow : notnull
    {
        var pending = new HashSet<TRow>(dirty);
        var refused = new List<TRow>();
        try
        {
            await table.CommitAsync(
                dirty,
                partition,
                r => toEntity(r),
                (written, _) =>
                {
                    Interlocked.Add(ref _rollupRowsWritten, written.Count);
                    pending.ExceptWith(written);
                },
                (row, error) =>
                {
                    refused.Add(row);
                    pending.Remove(row);
                    LogRollupRejected(_logger, partition(row), 1, TableBatchCommitter.Describe(error).Code);
                },
                cancellationToken,
                markerOf is null ? null : r => markerOf(r));
        }
        finally
        {
            // Unwritten rows (a stop mid-flush) go again with the next flush; refused ones keep their
            // totals in memory and are written with their next change (event 3006).
            markDirty(pending);
        }

        return refused.Count == 0;
    }

    /// <summary>A queued record and its journal sequence number (0: not journaled).</summary>
    private readonly record struct QueuedRecord(CallRecord Record, long Seq);


    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Ledger queue full ({Capacity} records): {Dropped} call records could not be kept")]
    private static partial void LogDropped(ILogger logger, long dropped, int capacity);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Ledger flushed at shutdown; {Written} records written since start")]
    private static partial void LogFlushed(ILogger logger, long written);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Ledger shutdown flush timed out after {Timeout}: {QueueDepth} records not written")]
    private static partial void LogFlushIncomplete(ILogger logger, int queueDepth, TimeSpan timeout);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Table Storage refused call record {CallId} of task {Task} (HTTP {Status}, {ErrorCode}); it is not retried")]
    private static partial void LogRejected(ILogger logger, string callId, string task, int status, string errorCode);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "Table Storage refused {Rows} rollup rows of task {Task} ({ErrorCode}); they are written again on their next change")]
    private static partial void LogRollupRejected(ILogger logger, string task, int rows, string errorCode);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Ledger instance {Instance} (a configured name) continues {Rows} rollup rows it stored before this process started")]
    private static partial void LogContinued(ILogger logger, string instance, int rows);
}
