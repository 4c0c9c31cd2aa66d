using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// Reads a nettrace collected with dotnet-trace's gc-verbose profile (the runtime's AllocationTick
// event, one per ~100 KB allocated, naming the type whose allocation crossed the mark, with its
// stack) and prints the allocated bytes by type, then for the largest types the call sites that
// allocated them (the nearest frames outside the runtime's own libraries): a sampled picture of
// what a call allocates and where.
//   dotnet AllocProfile.dll <trace.nettrace> [calls] [top]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: AllocProfile <trace.nettrace> [calls] [top]");
    return 2;
}

var calls = args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
var top = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 40;
var byType = new Dictionary<string, long>(StringComparer.Ordinal);
var bySite = new Dictionary<(string Type, string Site), long>();
long total = 0;
var etlx = TraceLog.CreateFromEventPipeDataFile(args[0]);
using (var log = new TraceLog(etlx))
{
    foreach (var e in log.Events)
    {
        if (e is not GCAllocationTickTraceData tick)
        {
            continue;
        }

        var amount = tick.AllocationAmount64;
        total += amount;
        var name = tick.TypeName ?? "?";
        byType[name] = byType.GetValueOrDefault(name) + amount;
        var key = (name, SiteOf(e.CallStack()));
        bySite[key] = bySite.GetValueOrDefault(key) + amount;
    }
}

string PerCall(long bytes) => calls > 0 ? $"{bytes / (double)calls,8:F0} B/call  " : string.Empty;
Console.WriteLine($"allocated (sampled): {total / 1024.0 / 1024.0:F1} MiB" + (calls > 0 ? $", {total / (double)calls:F0} B per call over {calls} calls" : string.Empty));
var largest = byType.OrderByDescending(p => p.Value).Take(top).ToList();
foreach (var (name, bytes) in largest)
{
    Console.WriteLine($"  {100.0 * bytes / Math.Max(1, total),5:F1}%  {PerCall(bytes)}{Shorten(name, 140)}");
}

foreach (var (name, _) in largest.Take(6))
{
    Console.WriteLine($"\nwhere {Shorten(name, 100)} is allocated:");
    foreach (var ((_, site), bytes) in bySite.Where(p => p.Key.Type == name).OrderByDescending(p => p.Value).Take(10))
    {
        Console.WriteLine($"  {100.0 * bytes / Math.Max(1, total),5:F1}%  {PerCall(bytes)}{site}");
    }
}

return 0;

// The first three frames above the runtime's own code (System.*, Microsoft.Extensions.* kept when they are the caller).
static string SiteOf(TraceCallStack? stack)
{
    var frames = new List<string>();
    for (var s = stack; s is not null && frames.Count < 3; s = s.Caller)
    {
        var method = s.CodeAddress.FullMethodName;
        if (string.IsNullOrEmpty(method))
        {
            continue;
        }

        var module = s.CodeAddress.ModuleName ?? string.Empty;
        if (frames.Count == 0 && (module.StartsWith("System.Private.CoreLib", StringComparison.Ordinal) || module.StartsWith("System.Runtime", StringComparison.Ordinal) || module.StartsWith("System.Text.Encoding", StringComparison.Ordinal)))
        {
            continue;
        }

        frames.Add($"{module}!{Shorten(method, 90)}");
    }

    return frames.Count == 0 ? "(no managed stack)" : string.Join(" <- ", frames);
}

static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";
