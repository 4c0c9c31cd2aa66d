using Router.Core.Catalog;
using Router.Core.Models;

namespace Router.Core.Routing;

/// <summary>One model call about to be made: the deployment, the prompt built for it and the request sent upstream.</summary>
public sealed record PlannedCall(CatalogModel Model, BuiltPrompt Prompt, ChatModelRequest Request)
{
    /// <summary>
    /// The same plan for streamed and non-streamed calls: the target's model and prompt; the
    /// caller's output cap, never above the task's (<see cref="RouteRequest.OutputTokenLimit"/>); the task's temperature only on the large route (the
    /// tuned small model is used as trained unless the caller asks otherwise); JSON mode when
    /// the task's output rule needs JSON.
    /// </summary>
    public static PlannedCall For(RouteRequest request, RouteTarget target, PromptBuilder prompts)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(prompts);
        var task = request.Task;
        var prompt = prompts.Build(task, target, request.Messages, request.Context);
        var modelRequest = new ChatModelRequest(
            prompt.Messages,
            request.OutputTokenLimit,
            target == RouteTarget.Large ? request.Temperature ?? task.Temperature : request.Temperature,
            task.Output.RequiresJson)
        {
            TopP = request.TopP,
        };
        return new PlannedCall(task.ModelFor(target), prompt, modelRequest);
    }
}
