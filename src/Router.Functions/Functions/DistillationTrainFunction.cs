using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Router.Core.Classifier;
using Router.Core.Security;
using Router.Functions.Http;

namespace Router.Functions.Functions;

/// <summary>
/// POST /api/distillation/{task}/train (admin): trains the task's local classifier now from its captured
/// samples and answers the version with its held-out metrics (accuracy, per-label precision and recall,
/// confusion matrix). 404 unknown task; 409 not a classification task, no local-classifier model, or too few samples.
/// </summary>
public sealed class DistillationTrainFunction(ClassifierTrainingService training, ClientAuthenticator authenticator)
{
    [Function("DistillationTrain")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "distillation/{task}/train")] HttpRequest req, string task)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (RequestAuthentication.Authorize(RequestAuthentication.Identify(req, authenticator), ClientRoles.Admin) is { } denied)
        {
            return RequestAuthentication.ToProblem(denied);
        }

        var (trained, refused) = await training.TrainAsync(task, req.HttpContext.RequestAborted);
        if (refused is not null)
        {
            return Problem.Create(refused.Status, refused.Status == StatusCodes.Status404NotFound ? "Not found" : "Conflict", refused.Message);
        }

        return new JsonBodyResult(trained!, StatusCodes.Status200OK);
    }
}
