using System.Buffers.Binary;
using System.Text;

namespace Router.Core.Ledger.Journal;

/// <summary>
/// The journal of a process that ended without acknowledging all its records (killed, crashed, or
/// its shutdown flush ran out of time). Claimed by taking its lock, so two starting processes never
/// replay the same journal; a journal whose lock is held belongs to a live process and is left alone.
/// </summary>
internal sealed class OrphanJournal : IDisposable
{
    private readonly FileStream _lock;

    private OrphanJournal(string folder, string name, FileStream lockFile, IReadOnlyList<string> segments)
    {
        Folder = folder;
        Name = name;
        _lock = lockFile;
        Segments = segments;
        var buffer = new byte[256];
        lockFile.Position = 0;
        var read = lockFile.Read(buffer);
        var instance = Encoding.UTF8.GetString(buffer, 0, read).Trim();
        // The lock file holds the rollup instance; without it, the name's part before the start ticks.
        Instance = instance.Length > 0 ? instance : (name.LastIndexOf('.') is var dot and > 0 ? name[..dot] : name);
        Acknowledged = ReadAck(JournalFiles.Ack(folder, name));
    }

    public string Folder { get; }

    public string Name { get; }

    /// <summary>The instance whose rollup rows these records belong to.</summary>
    public string Instance { get; }

    /// <summary>Every record up to this sequence number was committed and rolled up before the process ended.</summary>
    public long Acknowledged { get; }

    /// <summary>Segment files in write order.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>The journals in <paramref name="folder"/> other than <paramref name="self"/> that no live process holds, claimed.</summary>
    public static List<OrphanJournal> Claim(string folder, string self)
    {
        var orphans = new List<OrphanJournal>();
        if (!Directory.Exists(folder))
        {
            return orphans;
        }

        var segments = new Dictionary<string, List<(int Index, string Path)>>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder, "*" + JournalFiles.SegmentExtension))
        {
            if (JournalFiles.TryParseSegment(path, out var journal, out var index))
            {
                if (!segments.TryGetValue(journal, out var list))
                {
                    segments[journal] = list = [];
                }

                list.Add((index, path));
            }
        }

        var names = segments.Keys
            .Concat(Directory.EnumerateFiles(folder, "*.lock").Select(p => Path.GetFileNameWithoutExtension(p)))
            .Where(n => n != self)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var lockFile = JournalFiles.TryLock(folder, name);
            if (lockFile is null)
            {
                continue;
            }

            var files = segments.TryGetValue(name, out var list) ? list.OrderBy(s => s.Index).Select(s => s.Path).ToList() : [];
            orphans.Add(new OrphanJournal(folder, name, lockFile, files));
        }

        return orphans;
    }

    /// <summary>Every record of the journal is committed and rolled up: its files go.</summary>
    public void Delete()
    {
        foreach (var segment in Segments)
        {
            File.Delete(segment);
        }

        File.Delete(JournalFiles.Ack(Folder, Name));
        // Deleted while still held, so no other process can claim it in between.
        File.Delete(JournalFiles.Lock(Folder, Name));
        _lock.Dispose();
    }

    public void Dispose() => _lock.Dispose();

    private static long ReadAck(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return bytes.Length >= 8 ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
