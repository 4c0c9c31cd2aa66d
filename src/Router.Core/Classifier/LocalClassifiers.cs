using System.Collections.Concurrent;

namespace Router.Core.Classifier;

/// <summary>
/// The version each local classifier serves on this instance, swapped atomically (a call in flight
/// finishes on the version it started with), plus the last load failure for health: a version that
/// cannot be loaded leaves the previous one serving.
/// </summary>
public sealed class LocalClassifiers
{
    private readonly ConcurrentDictionary<string, ClassifierState> _states = new(StringComparer.OrdinalIgnoreCase);

    public LoadedClassifier? Current(string model) => _states.TryGetValue(model, out var state) ? state.Loaded : null;

    /// <summary>The version a model serves here when it is a local classifier (null for a deployment, or before its first version).</summary>
    public string? VersionOf(Catalog.CatalogModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.IsLocalClassifier ? Current(model.Name)?.Version : null;
    }

    public ClassifierState State(string model) => _states.GetValueOrDefault(model) ?? ClassifierState.Empty;

    /// <summary>Serve <paramref name="loaded"/> from now on.</summary>
    public void Swap(string model, LoadedClassifier loaded, ClassifierVersionInfo? info) =>
        _states.AddOrUpdate(model, _ => new ClassifierState(loaded, info, null, null), (_, _) => new ClassifierState(loaded, info, null, null));

    /// <summary>Version <paramref name="version"/> could not be loaded; the current one (if any) keeps serving.</summary>
    public void LoadFailed(string model, string version, string error) =>
        _states.AddOrUpdate(model, _ => new ClassifierState(null, null, version, error), (_, old) => old with { FailedVersion = version, LoadError = error });
}

/// <summary>What one local classifier serves, and the version that last failed to load (with why).</summary>
public sealed record ClassifierState(LoadedClassifier? Loaded, ClassifierVersionInfo? Info, string? FailedVersion, string? LoadError)
{
    public static ClassifierState Empty { get; } = new(null, null, null, null);
}
