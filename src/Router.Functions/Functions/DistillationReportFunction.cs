using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Router.Core.Distillation.Reporting;
using Router.Core.Security;
using Router.Functions.Http;

namespace Router.Functions.Functions;

/// <summary>GET /api/distillation (admin): the latest report; JSON, or a Markdown table with <c>?format=md</c>.</summary>
public sealed class DistillationReportFunction(DistillationReportService reports, ClientAuthenticator authenticator)
{
    public const string MarkdownContentType = "text/markdown; charset=utf-8";

    [Function("DistillationReport")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "distillation")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (RequestAuthentication.Authorize(RequestAuthentication.Identify(req, authenticator), ClientRoles.Admin) is { } denied)
        {
            return RequestAuthentication.ToProblem(denied);
        }

        var format = req.Query["format"].ToString();
        if (format.Length > 0 && format is not ("md" or "json"))
        {
            return Problem.BadRequest($"format '{format}' is not one of json, md.");
        }

        var latest = await reports.LatestAsync(req.HttpContext.RequestAborted);
        if (latest is null)
        {
            return Problem.NotFound("No distillation report yet. It runs on the schedule Router:Distillation:Schedule, or now with POST /api/distillation/run.");
        }

        return ToResult(latest, format == "md");
    }

    /// <summary>Shared with the run endpoint, so both answer the same shape.</summary>
    internal static IActionResult ToResult(DistillationRun run, bool markdown) =>
        markdown
            ? new TextBodyResult(DistillationMarkdown.Render(run), MarkdownContentType)
            : new TextBodyResult(JsonSerializer.Serialize(run, DistillationJson.Options), "application/json; charset=utf-8");
}
