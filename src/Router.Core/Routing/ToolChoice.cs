namespace Router.Core.Routing;

/// <summary>How the model may use the caller's tools: <c>auto</c>, <c>none</c>, <c>required</c>, or one named function.</summary>
public sealed record ToolChoice(string Mode, string? FunctionName = null)
{
    public const string AutoMode = "auto";
    public const string NoneMode = "none";
    public const string RequiredMode = "required";
    public const string FunctionMode = "function";

    public static ToolChoice Auto { get; } = new(AutoMode);

    public static ToolChoice None { get; } = new(NoneMode);

    public static ToolChoice Required { get; } = new(RequiredMode);

    public static ToolChoice Function(string name) => new(FunctionMode, name);
}
