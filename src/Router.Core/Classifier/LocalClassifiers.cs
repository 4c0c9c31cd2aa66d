using System.Collections.Concurrent;

namespace Router.Core.Classifier;

/// <summary>
/// The versions each local classifier holds on this instance, swapped atomically (a call in flight
/// finishes on the version it started with): the version its pointer names (the newest trained, the
/// candidate shadow evaluation measures), and the version a promoted route is pinned to, kept loaded while
/// a newer one is trained and measured. Plus the last load failure for health: a version that cannot be
/// loaded leaves the previous one serving.
/// </summary>
public sealed class LocalClassifiers
{
    private readonly ConcurrentDictionary<string, ClassifierState> _states = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The version the pointer names (the candidate's).</summary>
    public LoadedClassifier? Current(string model) => _states.TryGetValue(model, out var state) ? state.Loaded : null;

    /// <summary>Exactly <paramref name="version"/> when this instance holds it (as the pointer's or the pinned version); else null.</summary>
    public LoadedClassifier? Get(string model, string version)
    {
        var state = State(model);
        return state.Loaded?.Version == version ? state.Loaded : state.Pinned?.Version == version ? state.Pinned : null;
    }

    /// <summary>The version a use of a model answers with: its pinned version (a promoted route's), else the pointer's; null for a deployment, or before a first version.</summary>
    public string? VersionOf(Catalog.CatalogModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.IsLocalClassifier ? model.PinnedVersion ?? Current(model.Name)?.Version : null;
    }

    public ClassifierState State(string model) => _states.GetValueOrDefault(model) ?? ClassifierState.Empty;

    /// <summary>The pointer names <paramref name="loaded"/> now; a pinned version stays as it is.</summary>
    public void Swap(string model, LoadedClassifier loaded, ClassifierVersionInfo? info) =>
        _states.AddOrUpdate(model, _ => ClassifierState.Empty with { Loaded = loaded, Info = info }, (_, old) => old with { Loaded = loaded, Info = info, FailedVersion = null, LoadError = null });

    /// <summary>A promoted route serves <paramref name="loaded"/>: kept whatever the pointer names later.</summary>
    public void Pin(string model, LoadedClassifier loaded, ClassifierVersionInfo? info) =>
        _states.AddOrUpdate(model, _ => ClassifierState.Empty with { Pinned = loaded, PinnedInfo = info }, (_, old) => old with { Pinned = loaded, PinnedInfo = info });

    /// <summary>No promoted route serves a pinned version of <paramref name="model"/> any more.</summary>
    public void Unpin(string model)
    {
        if (_states.TryGetValue(model, out var state) && state.Pinned is not null)
        {
            _states[model] = state with { Pinned = null, PinnedInfo = null };
        }
    }

    /// <summary>Version <paramref name="version"/> could not be loaded; the current one (if any) keeps serving.</summary>
    public void LoadFailed(string model, string version, string error) =>
        _states.AddOrUpdate(model, _ => ClassifierState.Empty with { FailedVersion = version, LoadError = error }, (_, old) => old with { FailedVersion = version, LoadError = error });
}

/// <summary>What one local classifier holds: the pointer's version, the pinned version (a promoted route's), and the version that last failed to load (with why).</summary>
public sealed record ClassifierState(LoadedClassifier? Loaded, ClassifierVersionInfo? Info, string? FailedVersion, string? LoadError)
{
    public static ClassifierState Empty { get; } = new(null, null, null, null);

    /// <summary>The version a promoted route is pinned to (the same object as <see cref="Loaded"/> until the pointer moves on); null when no route is pinned.</summary>
    public LoadedClassifier? Pinned { get; init; }

    public ClassifierVersionInfo? PinnedInfo { get; init; }
}
