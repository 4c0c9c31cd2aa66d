using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Router.Core.Catalog;
using Router.Core.Distillation.Samples;
using Router.Core.Security;
using Router.Functions.Http;

namespace Router.Functions.Functions;

/// <summary>
/// GET /api/distillation/{task}/dataset (admin): the task's eligible captured examples (current prompt
/// version) as OpenAI chat fine-tuning JSONL, streamed; <c>?bom=true</c> prefixes a UTF-8 byte-order mark.
/// </summary>
public sealed class DistillationDatasetFunction(TaskCatalog catalog, SampleStore samples, ClientAuthenticator authenticator)
{
    [Function("DistillationDataset")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "distillation/{task}/dataset")] HttpRequest req, string task)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (RequestAuthentication.Authorize(RequestAuthentication.Identify(req, authenticator), ClientRoles.Admin) is { } denied)
        {
            return RequestAuthentication.ToProblem(denied);
        }

        if (!catalog.TryResolve(task, out var resolved))
        {
            return Problem.NotFound($"Unknown task '{task}'. Known tasks: {string.Join(", ", catalog.Tasks.Select(t => t.Name))}.");
        }

        var bomText = req.Query["bom"].ToString();
        if (bomText.Length > 0 && !bool.TryParse(bomText, out _))
        {
            return Problem.BadRequest($"bom '{bomText}' is not true or false.");
        }

        var bom = bomText.Length > 0 && bool.Parse(bomText);
        return new DatasetResult(samples, resolved, bom);
    }

    private sealed class DatasetResult(SampleStore samples, CatalogTask task, bool bom) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            var cancellation = context.HttpContext.RequestAborted;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = FineTuningJsonl.ContentType;
            response.Headers.ContentDisposition = $"attachment; filename=\"{task.Name}-{task.PromptVersion}.jsonl\"";
            await FineTuningJsonl.WriteAsync(response.Body, samples.ReadEligibleAsync(task.Name, task.PromptVersion, cancellation), bom, cancellation);
        }
    }
}
