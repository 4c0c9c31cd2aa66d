using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Router.Core.Background;

/// <summary>Every background loop of this host, by name, for /api/health: which loop is failing, since when, how often.</summary>
public sealed class LoopRegistry(TimeProvider time, ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<string, LoopMonitor> _loops = new(StringComparer.Ordinal);

    /// <summary>The monitor a loop reports into (one per name; asking again returns the same one).</summary>
    public LoopMonitor Register(string name) =>
        _loops.GetOrAdd(name, n => new LoopMonitor(n, time, loggers.CreateLogger("Router.Core.Background." + n)));

    public IReadOnlyList<LoopState> States => _loops.Values.Select(l => l.State).OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();

    public bool AnyFailing => _loops.Values.Any(l => l.IsFailing);
}
