using Router.Core.Catalog;
using Router.Core.Models;

namespace Router.Core.Routing;

/// <summary>One model call about to be made: the deployment, the prompt built for it and the request sent upstream.</summary>
public sealed record PlannedCall(CatalogModel Model, BuiltPrompt Prompt, ChatModelRequest Request)
{
    /// <summary>
    /// The same plan for streamed and non-streamed calls: the target's model and prompt; the
    /// caller's output cap, at most the task's (a ceiling, never lifted); the task's temperature only on the large route (the
    /// tuned small model is used as trained unless the caller asks otherwise); JSON mode when
    /// the task's output rule needs JSON, the caller's format (JSON or a schema) when it asked for one;
    /// the caller's tools as given.
    /// </summary>
    /// <param name="model">The deployment to call; the target's model unless a shadow candidate is evaluated on the target's prompt.</param>
    public static PlannedCall For(RouteRequest request, RouteTarget target, PromptBuilder prompts, CatalogModel? model = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(prompts);
        var task = request.Task;
        model ??= task.ModelFor(target);
        var prompt = prompts.Build(task, target, request.Messages, request.Context);
        var modelRequest = new ChatModelRequest(
            prompt.Messages,
            request.OutputTokenLimit,
            target == RouteTarget.Large ? request.Temperature ?? task.Temperature : request.Temperature,
            task.Output.RequiresJson)
        {
            // Only a reasoning deployment takes reasoning_effort (the request was refused if the task's own could not).
            Sampling = model.SupportsReasoning || request.Sampling.ReasoningEffort is null ? request.Sampling : request.Sampling with { ReasoningEffort = null },
            Tools = request.Tools,
            ToolChoice = request.ToolChoice,
            Format = request.Format,
            ModelVersion = model.PinnedVersion,
        };
        return new PlannedCall(model, prompt, modelRequest);
    }
}
