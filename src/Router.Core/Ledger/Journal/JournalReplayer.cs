using Microsoft.Extensions.Logging;

namespace Router.Core.Ledger.Journal;

/// <summary>
/// At start, writes what dead processes journaled but never acknowledged: each orphan journal's
/// records (past its acknowledged sequence number, younger than <see cref="JournalOptions.MaxAge"/>)
/// are committed to RouterCalls again (same call id, same row: a row already written is simply
/// rewritten) and added to the dead instance's own rollup rows, continued from what is stored.
/// A stored row carries the sequence number up to which it holds its records
/// (<see cref="RollupRecord.JournalSeq"/>), so a record it already holds is never added twice, however
/// often a replay is interrupted and repeated. Segments are replayed one at a time, the rows written
/// after each, then the journal's files are deleted. Unreadable tails are skipped and counted.
/// </summary>
internal sealed partial class JournalReplayer(
    string folder,
    string self,
    RollupStore store,
    JournalOptions options,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Commits call rows (retrying outages); returns those committed (refused ones left out).</summary>
    public delegate Task<IReadOnlyList<CallRecord>> WriteCalls(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken);

    /// <summary>Upserts whole rollup rows; false when storage refused some (they are then written again with their next change).</summary>
    public delegate Task<bool> WriteRollups(RollupAggregator rollups, long journalSeq, CancellationToken cancellationToken);

    private long _replayed;
    private long _unreadable;
    private long _expired;

    /// <summary>Records committed by replays since start.</summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    /// <summary>Torn or damaged records skipped (a segment's unreadable tail counts as one).</summary>
    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>Records older than <see cref="JournalOptions.MaxAge"/>, not replayed.</summary>
    public long Expired => Interlocked.Read(ref _expired);

    /// <param name="rollupsOf">The aggregator of an instance's rows: the live one for this process's own instance name, a new one otherwise.</param>
    public async Task ReplayAsync(WriteCalls writeCalls, WriteRollups writeRollups, Func<string, RollupAggregator> rollupsOf, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writeCalls);
        ArgumentNullException.ThrowIfNull(writeRollups);
        ArgumentNullException.ThrowIfNull(rollupsOf);
        foreach (var orphan in OrphanJournal.Claim(folder, self))
        {
            using (orphan)
            {
                var before = (Replayed, Unreadable, Expired);
                await ReplayAsync(orphan, writeCalls, writeRollups, rollupsOf(orphan.Instance), batchSize, cancellationToken);
                orphan.Delete();
                LogReplayed(logger, orphan.Name, Replayed - before.Replayed, orphan.Instance, Unreadable - before.Unreadable, Expired - before.Expired);
            }
        }
    }

    private async Task ReplayAsync(OrphanJournal orphan, WriteCalls writeCalls, WriteRollups writeRollups, RollupAggregator rollups, int batchSize, CancellationToken cancellationToken)
    {
        var oldest = time.GetUtcNow() - options.MaxAge;
        var loadedHours = new HashSet<DateTimeOffset>();
        foreach (var segment in orphan.Segments)
        {
            var entries = JournalFrame.ReadAll(await File.ReadAllBytesAsync(segment, cancellationToken), out var unreadableBytes, out var undecodable);
            var skipped = undecodable + (unreadableBytes > 0 ? 1 : 0);
            if (skipped > 0)
            {
                Interlocked.Add(ref _unreadable, skipped);
                RouterMetrics.JournalSkipped.Add(skipped);
                LogUnreadable(logger, Path.GetFileName(segment), unreadableBytes, undecodable);
            }

            var pending = entries.Where(e => e.Seq > orphan.Acknowledged).ToList();
            var expired = pending.RemoveAll(e => e.Record.Timestamp < oldest);
            if (expired > 0)
            {
                Interlocked.Add(ref _expired, expired);
                RouterMetrics.JournalSkipped.Add(expired);
            }

            if (pending.Count == 0)
            {
                continue;
            }

            await SeedAsync(orphan.Instance, pending, rollups, loadedHours, cancellationToken);
            foreach (var batch in pending.Chunk(batchSize))
            {
                var committed = new HashSet<CallRecord>(await writeCalls(batch.Select(e => e.Record).ToList(), cancellationToken), ReferenceEqualityComparer.Instance);
                foreach (var entry in batch)
                {
                    if (committed.Contains(entry.Record) && !rollups.Holds(entry.Record, entry.Seq))
                    {
                        rollups.Add(entry.Record);
                    }
                }

                Interlocked.Add(ref _replayed, committed.Count);
                RouterMetrics.JournalReplayed.Add(committed.Count);
            }

            // Every record of the segment up to its last is now in the rows: stamp and write them.
            await writeRollups(rollups, pending[^1].Seq, cancellationToken);
        }
    }

    /// <summary>Loads the instance's stored rows for the hours these records fall in (once per hour), so the replay continues them.</summary>
    private async Task SeedAsync(string instance, List<JournalEntry> entries, RollupAggregator rollups, HashSet<DateTimeOffset> loadedHours, CancellationToken cancellationToken)
    {
        var hours = entries.Select(e => RollupKey.HourOf(e.Record.Timestamp)).Where(h => !loadedHours.Contains(h)).Distinct().ToList();
        if (hours.Count == 0)
        {
            return;
        }

        var rows = await store.ReadAsync(new RollupRead { Instance = instance, From = hours.Min(), To = hours.Max().AddHours(1) }, cancellationToken);
        foreach (var row in rows)
        {
            if (!loadedHours.Contains(row.Hour))
            {
                rollups.Seed(row);
            }
        }

        loadedHours.UnionWith(hours);
    }

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Ledger journal {Journal}: replayed {Replayed} call records of instance {Instance} that its process had not acknowledged; {Unreadable} unreadable and {Expired} expired records skipped")]
    private static partial void LogReplayed(ILogger logger, string journal, long replayed, string instance, long unreadable, long expired);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Ledger journal segment {Segment}: {Bytes} bytes at its end could not be read (a torn or damaged record) and {Undecodable} records could not be decoded; they are skipped")]
    private static partial void LogUnreadable(ILogger logger, string segment, int bytes, int undecodable);
}
