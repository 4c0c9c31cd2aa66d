using Router.Core.Telemetry;

namespace Router.Core.Catalog;

/// <summary>
/// The <c>Router</c> configuration section: the task catalog and the price sheet.
/// Dictionaries (not arrays) so that one setting can be overridden by an environment
/// variable such as <c>Router__Models__large__Endpoint</c>.
/// </summary>
public sealed class RouterOptions
{
    public const string SectionName = "Router";

    /// <summary>Optional JSON file (relative to the app folder) holding <c>Router:Tasks</c> and <c>Router:Models</c>.</summary>
    public string? CatalogFile { get; set; }

    public Dictionary<string, TaskOptions> Tasks { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, ModelOptions> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Largest request body accepted, in bytes (default 1 MiB).</summary>
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Deadline for one routed call, model retries included. Must stay below the 230 s HTTP limit of Functions.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary><c>Router:Telemetry</c>: what telemetry may carry (content capture is off by default).</summary>
    public TelemetryOptions Telemetry { get; set; } = new();
}
