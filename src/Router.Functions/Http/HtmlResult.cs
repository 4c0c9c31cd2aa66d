using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Router.Functions.Http;

/// <summary>Writes a self-contained HTML page with a Content-Security-Policy that keeps it offline: nothing loads from elsewhere.</summary>
public sealed class HtmlResult(string html) : IActionResult
{
    /// <summary>Inline script and style only; fetches go to this origin only (the data endpoint).</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XContentTypeOptions = "nosniff";
        await response.WriteAsync(html, context.HttpContext.RequestAborted);
    }
}
