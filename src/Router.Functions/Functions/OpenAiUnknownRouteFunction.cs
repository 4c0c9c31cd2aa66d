using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Router.Functions.OpenAi;

namespace Router.Functions.Functions;

/// <summary>
/// Every other path and method under /api/v1 answers as OpenAI does, a 404 in its error
/// envelope (<c>Invalid URL (GET /api/v1/...)</c>), because OpenAI SDKs cannot read
/// problem+json ("404 status code (no body)"). The routes of the real endpoints are more
/// specific, so both hosts match them first.
/// </summary>
public static class OpenAiUnknownRouteFunction
{
    [Function("OpenAiUnknownRoute")]
    public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "delete", "patch", Route = "v1/{*path}")] HttpRequest req, string path)
    {
        ArgumentNullException.ThrowIfNull(req);
        _ = path;
        return new OpenAiErrorResult(StatusCodes.Status404NotFound, $"Invalid URL ({req.Method} {req.Path}): see GET /api/v1/models and docs/openai-compat.md for the endpoints.", "invalid_request_error", null, "unknown_url");
    }
}
