namespace Router.Core.Telemetry;

/// <summary>
/// <c>Router:Telemetry</c>. Prompts and outputs are the callers' data: they stay out of spans,
/// logs and metrics unless an operator turns <see cref="CaptureContent"/> on (e.g. to debug locally).
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Router:Telemetry";

    /// <summary>When true, model-call spans carry gen_ai.input.messages / gen_ai.output.messages. Default false.</summary>
    public bool CaptureContent { get; set; }
}
