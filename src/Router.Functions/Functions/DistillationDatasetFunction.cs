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
/// A knowledge task cannot be distilled (409); a task with no eligible examples yet has no dataset (404):
/// both answer a problem that says why, never an empty 200.
/// </summary>
public sealed class DistillationDatasetFunction(TaskCatalog catalog, SampleStore samples, ClientAuthenticator authenticator)
{
    [Function("DistillationDataset")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "distillation/{task}/dataset")] HttpRequest req, string task)
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

        if (resolved.Kind == TaskKind.Knowledge)
        {
            return Problem.Create(StatusCodes.Status409Conflict, "Conflict", $"Task '{resolved.Name}' is a knowledge task: it is not distilled (facts belong in retrieval, where they stay current), so it has no training set.");
        }

        // Read the first example before answering: an empty export is a 404 that says why, not an empty 200.
        var examples = samples.ReadEligibleAsync(resolved.Name, resolved.PromptVersion, req.HttpContext.RequestAborted).GetAsyncEnumerator(req.HttpContext.RequestAborted);
        if (!await examples.MoveNextAsync())
        {
            await examples.DisposeAsync();
            var capture = resolved.CaptureRate > 0
                ? $"capture keeps {(resolved.CaptureRate * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}% of the large model's valid answers (Router:Tasks:{resolved.Name}:CaptureRate); send traffic and try again"
                : $"capture is off for it (Router:Tasks:{resolved.Name}:CaptureRate is 0)";
            return Problem.NotFound($"Task '{resolved.Name}' has no captured examples for its current prompt version {resolved.PromptVersion} yet: {capture}.");
        }

        return new DatasetResult(examples, resolved, bomText.Length > 0 && bool.Parse(bomText));
    }

    /// <summary>Streams the examples, the first already read; owns (and disposes) the enumerator.</summary>
    private sealed class DatasetResult(IAsyncEnumerator<TrainingSample> examples, CatalogTask task, bool bom) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            var cancellation = context.HttpContext.RequestAborted;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = FineTuningJsonl.ContentType;
            response.Headers.ContentDisposition = $"attachment; filename=\"{task.Name}-{task.PromptVersion}.jsonl\"";
            await FineTuningJsonl.WriteAsync(response.Body, Rest(), bom, cancellation);
        }

        private async IAsyncEnumerable<TrainingSample> Rest()
        {
            try
            {
                do
                {
                    yield return examples.Current;
                }
                while (await examples.MoveNextAsync());
            }
            finally
            {
                await examples.DisposeAsync();
            }
        }
    }
}
