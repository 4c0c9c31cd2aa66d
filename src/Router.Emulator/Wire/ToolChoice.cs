namespace Router.Emulator.Wire;

/// <summary>
/// <c>tool_choice</c> reduced to what generation needs: <c>none</c>, <c>auto</c> (the default when
/// tools are given), <c>required</c>, or a named function (which implies required).
/// </summary>
public sealed record ToolChoice(ToolChoiceMode Mode, string? FunctionName)
{
    public static readonly ToolChoice Auto = new(ToolChoiceMode.Auto, null);
}

public enum ToolChoiceMode
{
    Auto,
    None,
    Required,
}
