using System.Collections.Frozen;
using Router.Core.Catalog;

namespace Router.Core.Promotion;

/// <summary>
/// The promoted routes this instance applies, replaced whole on each refresh (and at once on the instance
/// that promoted or restored). <see cref="Apply"/> turns a catalog task into the task as served: the one
/// place a call's task meets its override.
/// </summary>
public sealed class RouteOverrides
{
    private readonly Lock _lock = new();
    private volatile FrozenDictionary<string, RouteOverride> _current = FrozenDictionary<string, RouteOverride>.Empty;
    private long _generation;

    /// <summary>Changes with every promotion or restore made here; a refresh that read storage before one must not undo it.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public IReadOnlyCollection<RouteOverride> All => _current.Values;

    public RouteOverride? Current(string task) => _current.GetValueOrDefault(task);

    /// <summary>The task as served now: promoted to its candidate while an override names one the catalog still has, else the catalog's.</summary>
    public CatalogTask Apply(CatalogTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return _current.TryGetValue(task.Name, out var promoted) && Candidate(task, promoted) is { } candidate ? task.Promoted(candidate, promoted.Version) : task;
    }

    /// <summary>The catalog candidate an override names; null when the catalog no longer has it (the override is then ignored).</summary>
    public static CatalogCandidate? Candidate(CatalogTask task, RouteOverride promoted)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(promoted);
        return task.Candidates.FirstOrDefault(c => string.Equals(c.Name, promoted.Candidate, StringComparison.Ordinal));
    }

    /// <summary>A refresh: what storage held when read; ignored (false) when this instance changed a route since <paramref name="readAtGeneration"/>.</summary>
    public bool Replace(IEnumerable<RouteOverride> current, long readAtGeneration)
    {
        ArgumentNullException.ThrowIfNull(current);
        var next = current.ToFrozenDictionary(o => o.Task, StringComparer.OrdinalIgnoreCase);
        lock (_lock)
        {
            if (Interlocked.Read(ref _generation) != readAtGeneration)
            {
                return false;
            }

            _current = next;
            return true;
        }
    }

    /// <summary>This instance promoted: applied at once.</summary>
    public void Set(RouteOverride promoted)
    {
        ArgumentNullException.ThrowIfNull(promoted);
        Change(_ => true, promoted);
    }

    /// <summary>This instance restored or rolled back: the catalog route at once.</summary>
    public void Remove(string task) => Change(o => !string.Equals(o.Task, task, StringComparison.OrdinalIgnoreCase), null);

    private void Change(Func<RouteOverride, bool> keep, RouteOverride? add)
    {
        lock (_lock)
        {
            var values = _current.Values.Where(o => keep(o) && (add is null || !string.Equals(o.Task, add.Task, StringComparison.OrdinalIgnoreCase)));
            _current = (add is null ? values : values.Append(add)).ToFrozenDictionary(o => o.Task, StringComparer.OrdinalIgnoreCase);
            Interlocked.Increment(ref _generation);
        }
    }
}
