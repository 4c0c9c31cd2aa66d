using Router.Emulator.Wire;

namespace Router.Emulator.Tokens;

/// <summary>
/// The prompt tokens tools add on top of <see cref="ChatPromptTokens"/>: every offered function
/// costs tokens(name) + tokens(its parameters schema as sent), and every tool call replayed in an
/// assistant message costs tokens(name) + tokens(arguments). (The real service's framing is
/// undocumented; this is a stable, checkable approximation.)
/// </summary>
public static class ToolPromptTokens
{
    public static int Count(TokenCounter counter, GenerationControls controls)
    {
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentNullException.ThrowIfNull(controls);
        var total = 0;
        foreach (var tool in controls.Tools)
        {
            total += counter.Count(tool.Name) + (tool.Parameters is { } parameters ? counter.Count(parameters.GetRawText()) : 0);
        }

        foreach (var call in controls.ReplayedToolCalls)
        {
            total += counter.Count(call.Name) + counter.Count(call.Arguments);
        }

        return total;
    }
}
