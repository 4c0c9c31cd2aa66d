using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Router.Core.Distillation.Reporting;
using Router.Core.Security;
using Router.Functions.Http;

namespace Router.Functions.Functions;

/// <summary>POST /api/distillation/run (admin): computes and stores the report now, the same way the timer does, and answers it.</summary>
public sealed class DistillationRunFunction(DistillationReportService reports, ClientAuthenticator authenticator)
{
    [Function("DistillationRun")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "distillation/run")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (RequestAuthentication.Authorize(RequestAuthentication.Identify(req, authenticator), ClientRoles.Admin) is { } denied)
        {
            return RequestAuthentication.ToProblem(denied);
        }

        var (run, _) = await reports.RunAsync(req.HttpContext.RequestAborted);
        return DistillationReportFunction.ToResult(run, req.Query["format"] == "md");
    }
}
