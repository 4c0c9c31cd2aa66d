namespace Router.Core.Classifier;

/// <summary>Serving local classifiers (<c>Router:LocalClassifier</c>).</summary>
public sealed class LocalClassifierOptions
{
    public const string SectionName = "Router:LocalClassifier";

    /// <summary>How often every instance reads each classifier's current version from Blob Storage and swaps in a new one (no restart).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}
