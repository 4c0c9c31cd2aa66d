using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Router.Core.Ledger.Journal;

/// <summary>
/// This process's journal: <see cref="Append"/> writes each record to the open segment with one
/// write to the operating system (no buffering in the process, no fsync), so a process that dies
/// right after answering still leaves the record on disk. The ledger writer calls
/// <see cref="Acknowledge"/> once records are committed and rolled up; closed segments wholly
/// acknowledged are deleted. When the journal holds <see cref="JournalOptions.MaxBytes"/>, records
/// are not journaled (counted, warned), never blocking the caller. Thread-safe.
/// </summary>
public sealed partial class CallJournal : IDisposable
{
    private readonly object _gate = new();
    private readonly JournalOptions _options;
    private readonly ILogger _logger;
    private readonly ArrayBufferWriter<byte> _frame = new(4096);
    private readonly Utf8JsonWriter _json;
    private readonly List<ClosedSegment> _closed = [];
    private readonly FileStream? _lock;
    private readonly FileStream? _ack;
    private readonly ITimer? _diskFlush;
    private FileStream? _segment;
    private int _segmentIndex;
    private long _segmentBytes;
    private long _seq;
    private long _acknowledged;
    private long _bytes;
    private long _appended;
    private long _full;
    private long _failed;
    private bool _disposed;

    private CallJournal(JournalOptions options, string folder, string name, string instance, long firstSeq, TimeProvider time, ILogger logger)
    {
        _options = options;
        _logger = logger;
        Folder = folder;
        Name = name;
        _json = new Utf8JsonWriter(_frame);
        _seq = firstSeq - 1;
        _acknowledged = _seq;
        Directory.CreateDirectory(folder);
        _lock = JournalFiles.TryLock(folder, name) ?? throw new IOException($"journal {name} is locked by another process");
        _lock.SetLength(0);
        _lock.Write(Encoding.UTF8.GetBytes(instance));
        _ack = new FileStream(JournalFiles.Ack(folder, name), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        WriteAck(_acknowledged);
        OpenSegment();
        if (options.DiskFlushInterval > TimeSpan.Zero)
        {
            _diskFlush = time.CreateTimer(_ => FlushToDisk(), null, options.DiskFlushInterval, options.DiskFlushInterval);
        }
    }

    /// <summary>A journal that keeps nothing (<see cref="JournalOptions.Enabled"/> false).</summary>
    private CallJournal(JournalOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _json = new Utf8JsonWriter(_frame);
        Folder = string.Empty;
        Name = string.Empty;
    }

    public bool Enabled => _segment is not null;

    public string Folder { get; }

    /// <summary>This process's journal name (file prefix): unique per process, so a restart never reopens a dead process's files.</summary>
    public string Name { get; }

    /// <summary>Records journaled since start.</summary>
    public long Appended => Interlocked.Read(ref _appended);

    /// <summary>Records not journaled because the journal was full (they were still served and queued).</summary>
    public long Full => Interlocked.Read(ref _full);

    /// <summary>Records not journaled because the disk refused the write (full disk, I/O error).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Bytes of unacknowledged segments on disk.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Opens this process's journal (a fresh name: <c>{instance}.{ticks}</c>) in the configured folder.</summary>
    public static CallJournal Open(JournalOptions options, string folder, RouterInstance instance, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(time);
        if (!options.Enabled)
        {
            return new CallJournal(options, logger);
        }

        // Sequence numbers start at the clock's ticks, so they keep growing across restarts of an
        // instance with a configured name (whose rollup rows carry the last sequence they include).
        var ticks = time.GetUtcNow().UtcTicks;
        return new CallJournal(options, folder, FormattableString.Invariant($"{instance.Id}.{ticks:x}"), instance.Id, ticks, time, logger);
    }

    /// <summary>Journals one record; returns its sequence number, or 0 when it could not be kept (full, or the disk failed).</summary>
    public long Append(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (_segment is null)
            {
                return 0;
            }

            if (_bytes >= _options.MaxBytes)
            {
                var full = Interlocked.Increment(ref _full);
                if ((full & (full - 1)) == 0)
                {
                    LogFull(_logger, full, _options.MaxBytes);
                }

                RouterMetrics.JournalFull.Add(1);
                return 0;
            }

            var seq = _seq + 1;
            _frame.ResetWrittenCount();
            JournalFrame.Write(_frame, seq, record, _json);
            try
            {
                // bufferSize 0: this is one write(2); the kernel has the record when it returns.
                _segment.Write(_frame.WrittenSpan);
            }
            catch (IOException ex)
            {
                var failed = Interlocked.Increment(ref _failed);
                if ((failed & (failed - 1)) == 0)
                {
                    LogWriteFailed(_logger, failed, ex.GetType().Name);
                }

                return 0;
            }

            _seq = seq;
            _segmentBytes += _frame.WrittenCount;
            Interlocked.Add(ref _bytes, _frame.WrittenCount);
            Interlocked.Increment(ref _appended);
            if (_segmentBytes >= _options.SegmentBytes)
            {
                CloseSegment();
                OpenSegment();
            }

            return seq;
        }
    }

    /// <summary>
    /// Every record up to <paramref name="seq"/> is committed and in written rollups: remember it
    /// (a replay skips them) and delete the closed segments it covers.
    /// </summary>
    public void Acknowledge(long seq)
    {
        List<ClosedSegment> done;
        lock (_gate)
        {
            if (_segment is null || seq <= _acknowledged)
            {
                return;
            }

            _acknowledged = Math.Min(seq, _seq);
            WriteAck(_acknowledged);
            done = _closed.Where(s => s.LastSeq <= _acknowledged).ToList();
            _closed.RemoveAll(s => s.LastSeq <= _acknowledged);
        }

        foreach (var segment in done)
        {
            Delete(segment.Path);
            Interlocked.Add(ref _bytes, -segment.Bytes);
        }
    }

    /// <summary>Forces the open segment to disk (fsync); called every <see cref="JournalOptions.DiskFlushInterval"/>.</summary>
    public void FlushToDisk()
    {
        lock (_gate)
        {
            try
            {
                _segment?.Flush(flushToDisk: true);
            }
            catch (IOException ex)
            {
                LogWriteFailed(_logger, Failed, ex.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Graceful end: when every record is acknowledged the journal's files are deleted; otherwise
    /// they stay, unlocked, and the next start replays them.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _diskFlush?.Dispose();
            var complete = _acknowledged >= _seq;
            if (_segment is not null)
            {
                var open = JournalFiles.Segment(Folder, Name, _segmentIndex);
                _segment.Dispose();
                _segment = null;
                _ack?.Dispose();
                if (complete)
                {
                    Delete(open);
                    foreach (var segment in _closed)
                    {
                        Delete(segment.Path);
                    }

                    Delete(JournalFiles.Ack(Folder, Name));
                    Delete(JournalFiles.Lock(Folder, Name));
                }
            }

            _lock?.Dispose();
            _json.Dispose();
        }
    }

    private void OpenSegment()
    {
        _segmentIndex++;
        _segment = new FileStream(JournalFiles.Segment(Folder, Name, _segmentIndex), FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _segmentBytes = 0;
    }

    private void CloseSegment()
    {
        if (_options.DiskFlushInterval > TimeSpan.Zero)
        {
            _segment!.Flush(flushToDisk: true);
        }

        _segment!.Dispose();
        _closed.Add(new ClosedSegment(JournalFiles.Segment(Folder, Name, _segmentIndex), _seq, _segmentBytes));
    }

    private void WriteAck(long seq)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, seq);
        _ack!.Position = 0;
        _ack.Write(bytes);
    }

    private static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left behind; a later replay finds every record in it acknowledged.
        }
    }

    private sealed record ClosedSegment(string Path, long LastSeq, long Bytes);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Ledger journal full ({MaxBytes} bytes): {Full} call records were served and queued but not journaled (a crash now would lose them)")]
    private static partial void LogFull(ILogger logger, long full, long maxBytes);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Error, Message = "Ledger journal write failed ({Error}): {Failed} call records not journaled")]
    private static partial void LogWriteFailed(ILogger logger, long failed, string error);
}
