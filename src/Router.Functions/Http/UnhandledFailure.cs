using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Router.Functions.OpenAi;

namespace Router.Functions.Http;

/// <summary>
/// The answer to a failure no function handled, in both host modes: a 500 in the envelope of the
/// API that was called (OpenAI's under /api/v1 and /api/openai, problem+json elsewhere) naming the
/// trace id to look for in the logs. Never the exception's type, message or stack: those go to the log
/// only, and the Development exception page never answers a router endpoint.
/// </summary>
public static partial class UnhandledFailure
{
    public static string DetailFor(string traceId) => $"The router failed unexpectedly while handling this request; the failure is logged under trace id {traceId}.";

    /// <summary>True when the path belongs to the OpenAI-compatible APIs, whose clients read only OpenAI's error envelope.</summary>
    public static bool IsOpenAiPath(PathString path) =>
        path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/api/openai", StringComparison.OrdinalIgnoreCase);

    public static IActionResult For(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var detail = DetailFor(Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier);
        return IsOpenAiPath(context.Request.Path)
            ? new OpenAiErrorResult(StatusCodes.Status500InternalServerError, detail, "server_error", null, "internal_error")
            : Problem.Create(StatusCodes.Status500InternalServerError, "Internal error", detail);
    }

    /// <summary>Logs the failure and, when the response has not started, writes the 500. Returns false when the caller had hung up (nothing to answer).</summary>
    public static async Task<bool> WriteAsync(HttpContext context, Exception exception, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(logger);
        if (context.RequestAborted.IsCancellationRequested && exception is OperationCanceledException)
        {
            return false;
        }

        Log.Unhandled(logger, context.Request.Method, context.Request.Path.Value ?? string.Empty, exception);
        if (context.Response.HasStarted)
        {
            // A stream already under way cannot change its status; ending it is the only signal left.
            context.Abort();
            return false;
        }

        context.Response.Clear();
        await For(context).ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Unhandled failure answering {Method} {Path}; the caller got a 500 without details")]
        public static partial void Unhandled(ILogger logger, string method, string path, Exception exception);
    }
}
