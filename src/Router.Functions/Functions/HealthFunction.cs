using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Router.Core.Health;
using Router.Functions.Http;

namespace Router.Functions.Functions;

/// <summary>GET /api/health (no key): 200 when healthy or degraded (calls still succeed), 503 when no model is reachable.</summary>
public sealed class HealthFunction(HealthChecker checker)
{
    [Function("Health")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        var report = await checker.CheckAsync(req.HttpContext.RequestAborted);
        return new JsonBodyResult(report, report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
