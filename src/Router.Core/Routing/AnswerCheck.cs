using Router.Core.Models;

namespace Router.Core.Routing;

/// <summary>
/// The one check of an answer against what this call promised: the task's output rule (labels
/// or its JSON schema) and the caller's format, both. A tool call is not the final answer, so
/// it is checked against neither.
/// </summary>
public static class AnswerCheck
{
    /// <summary>Null when the answer keeps every rule, else the first one it breaks.</summary>
    public static string? Violation(RouteRequest request, string? text, bool calledTools)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (calledTools)
        {
            return null;
        }

        return request.Task.Output.Check(text) ?? request.Format?.Check(text);
    }

    public static string? Violation(RouteRequest request, ChatModelResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Violation(request, response.Text, response.ToolCalls.Count > 0);
    }
}
