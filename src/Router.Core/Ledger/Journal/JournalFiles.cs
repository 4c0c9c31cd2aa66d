using System.Globalization;

namespace Router.Core.Ledger.Journal;

/// <summary>
/// File names in a journal folder, per journal (one per process): <c>{journal}.lock</c> (held open
/// and locked while the process lives; holds the rollup instance name), <c>{journal}.ack</c> (the
/// acknowledged sequence number) and segments <c>{journal}-{index:D8}.seg</c>.
/// Journal names hold letters, digits, '.' and '_' only, so '-' separates the index.
/// </summary>
internal static class JournalFiles
{
    public const string SegmentExtension = ".seg";

    public static string Lock(string folder, string journal) => Path.Combine(folder, journal + ".lock");

    public static string Ack(string folder, string journal) => Path.Combine(folder, journal + ".ack");

    public static string Segment(string folder, string journal, int index) =>
        Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{journal}-{index:D8}{SegmentExtension}"));

    /// <summary>The journal and index a segment file name holds, or false for any other file.</summary>
    public static bool TryParseSegment(string path, out string journal, out int index)
    {
        var name = Path.GetFileName(path);
        journal = string.Empty;
        index = 0;
        if (!name.EndsWith(SegmentExtension, StringComparison.Ordinal))
        {
            return false;
        }

        var stem = name[..^SegmentExtension.Length];
        var dash = stem.LastIndexOf('-');
        if (dash <= 0 || !int.TryParse(stem.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            return false;
        }

        journal = stem[..dash];
        return true;
    }

    /// <summary>Opens a journal's lock file exclusively; null when another live process holds it.</summary>
    public static FileStream? TryLock(string folder, string journal)
    {
        try
        {
            return new FileStream(Lock(folder, journal), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
