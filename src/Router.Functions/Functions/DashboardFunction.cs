using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Router.Core.Dashboard;
using Router.Core.Distillation.Reporting;
using Router.Core.Security;
using Router.Functions.Dashboard;
using Router.Functions.Http;

namespace Router.Functions.Functions;

/// <summary>
/// GET /api/dashboard: a self-contained page for people (no data in it, so no key needed to load it);
/// GET /api/dashboard/data (admin): the figures it draws: daily series from RouterRollups and the stored distillation report.
/// The page asks for the admin key and sends it as a Bearer header; see docs/telemetry.md.
/// </summary>
public sealed class DashboardFunction(DashboardService dashboard, ClientAuthenticator authenticator)
{
    public const int MaxDays = 90;

    [Function("Dashboard")]
    public static IActionResult Page([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest req) =>
        new HtmlResult(DashboardPage.Content);

    [Function("DashboardData")]
    public async Task<IActionResult> Data([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/data")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        if (RequestAuthentication.Authorize(RequestAuthentication.Identify(req, authenticator), ClientRoles.Admin) is { } denied)
        {
            return RequestAuthentication.ToProblem(denied);
        }

        var days = 14;
        if (req.Query.TryGetValue("days", out var value) &&
            (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days is < 1 or > MaxDays))
        {
            return Problem.Create(StatusCodes.Status400BadRequest, "Bad request", $"'days' must be a whole number from 1 to {MaxDays}.");
        }

        var data = await dashboard.GetAsync(days, req.HttpContext.RequestAborted);
        // The report's own JSON options (nulls kept), so the embedded report is byte for byte what GET /api/distillation answers.
        var result = new JsonBodyResult(data, options: DistillationJson.Options);
        result.Headers["Cache-Control"] = "no-store";
        return result;
    }
}
