using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Router.Core.Models;
using Router.Functions.Http;

namespace Router.Functions.OpenAi;

/// <summary>An error in OpenAI's envelope <c>{"error": {"message", "type", "param", "code"}}</c>, with the matching status.</summary>
public sealed class OpenAiErrorResult(int status, string message, string type, string? param, string? code) : IActionResult
{
    public int Status { get; } = status;

    public string? Code { get; } = code;

    public TimeSpan? RetryAfter { get; init; }

    public static OpenAiErrorResult From(RequestError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var type = error.Status switch
        {
            StatusCodes.Status401Unauthorized => "invalid_request_error",
            StatusCodes.Status403Forbidden => "permission_error",
            StatusCodes.Status429TooManyRequests => "rate_limit_error",
            _ => "invalid_request_error",
        };
        return new OpenAiErrorResult(error.Status, error.Message, type, error.Param, error.Code) { RetryAfter = error.RetryAfter };
    }

    public static OpenAiErrorResult Upstream(ModelCallException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var code = failure.Kind switch
        {
            UpstreamFailureKind.RateLimited => "upstream_rate_limited",
            UpstreamFailureKind.Unavailable => "upstream_unavailable",
            UpstreamFailureKind.Timeout => "upstream_timeout",
            _ => "upstream_error",
        };
        return new OpenAiErrorResult(failure.HttpStatus, failure.Message, "server_error", null, code)
        {
            RetryAfter = failure.RetryAfter ?? (failure.HttpStatus == StatusCodes.Status503ServiceUnavailable ? TimeSpan.FromSeconds(1) : null),
        };
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        response.ContentType = "application/json; charset=utf-8";
        if (Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        if (RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await using var writer = new Utf8JsonWriter(response.Body);
        OpenAiWire.WriteError(writer, message, type, param, Code);
        await writer.FlushAsync(context.HttpContext.RequestAborted);
    }
}
