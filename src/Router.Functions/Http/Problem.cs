using Microsoft.AspNetCore.Http;

namespace Router.Functions.Http;

/// <summary>RFC 9457 problem details for the native endpoints. The detail names what is wrong.</summary>
public static class Problem
{
    public const string ContentType = "application/problem+json";

    public static JsonBodyResult Create(int status, string title, string detail, string? type = null, TimeSpan? retryAfter = null)
    {
        var body = new ProblemBody(type ?? $"https://router.dev/problems/{status}", title, status, detail);
        var result = new JsonBodyResult(body, status, ContentType);
        if (retryAfter is { } wait)
        {
            result.Headers["Retry-After"] = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return result;
    }

    public static JsonBodyResult BadRequest(string detail) => Create(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static JsonBodyResult Unauthorized(string detail)
    {
        var result = Create(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
        result.Headers["WWW-Authenticate"] = "Bearer";
        return result;
    }

    public static JsonBodyResult Forbidden(string detail) => Create(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static JsonBodyResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "Not found", detail);

    private sealed record ProblemBody(string Type, string Title, int Status, string Detail);
}
