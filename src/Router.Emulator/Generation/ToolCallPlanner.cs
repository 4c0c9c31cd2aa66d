using System.Globalization;
using Router.Emulator.Wire;

namespace Router.Emulator.Generation;

/// <summary>
/// Decides, deterministically, whether the emulated model calls a tool: it does when function
/// tools are offered, <c>tool_choice</c> is not <c>none</c>, and the conversation ends with the
/// user's turn (or the choice is <c>required</c> / a named function and no tool result came back
/// yet). After a tool result it answers instead. The function is the named one, else the first
/// whose name appears in the user's last message, else the first tool; the arguments are built
/// from its parameter schema, the id from a hash of the conversation.
/// </summary>
public static class ToolCallPlanner
{
    public static GeneratedToolCall? Plan(ChatRequest request, string userText)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(userText);
        var controls = request.Controls;
        if (controls.Tools.Count == 0 || controls.ToolChoice.Mode == ToolChoiceMode.None || request.Messages.Count == 0)
        {
            return null;
        }

        var last = request.Messages[^1].Role;
        var forced = controls.ToolChoice.Mode == ToolChoiceMode.Required;
        if (last.Equals("tool", StringComparison.Ordinal) || (!forced && !last.Equals("user", StringComparison.Ordinal)))
        {
            return null;
        }

        var tool = Choose(controls, userText);
        var arguments = tool.Parameters is { } schema ? SchemaInstance.Build(schema, userText) : "{}";
        var hash = AllowedLabels.StableHash(request.Deployment + "\n" + tool.Name + "\n" + userText + "\n" + request.Messages.Count.ToString(CultureInfo.InvariantCulture));
        return new GeneratedToolCall("call_" + hash.ToString("x8", CultureInfo.InvariantCulture), tool.Name, arguments);
    }

    private static ChatTool Choose(GenerationControls controls, string userText)
    {
        if (controls.ToolChoice.FunctionName is { } named)
        {
            return controls.Tools.First(t => t.Name.Equals(named, StringComparison.Ordinal));
        }

        foreach (var tool in controls.Tools)
        {
            if (userText.Contains(tool.Name, StringComparison.OrdinalIgnoreCase))
            {
                return tool;
            }
        }

        return controls.Tools[0];
    }
}
