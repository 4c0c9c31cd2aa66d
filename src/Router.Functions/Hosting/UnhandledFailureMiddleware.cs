using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Router.Functions.Http;

namespace Router.Functions.Hosting;

/// <summary>
/// Functions-host mode's catch-all, the twin of standalone mode's (<see cref="FunctionEndpointMapper"/>):
/// an HTTP function that throws answers <see cref="UnhandledFailure"/>'s 500, not the host's bare one.
/// Timer functions have no HTTP context and keep the host's own failure handling.
/// </summary>
internal sealed class UnhandledFailureMiddleware(ILogger<UnhandledFailureMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is { } http)
        {
            await UnhandledFailure.WriteAsync(http, ex, logger);
        }
    }
}
