using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Router.Emulator.Faults;
using Router.Emulator.Logging;
using Router.Emulator.Recording;

namespace Router.Emulator.Endpoints;

/// <summary>
/// The test-facing control API under <c>/emulator</c>. Tests need it because the router, not the
/// test, sets the headers on upstream calls, so faults must be armed per deployment out of band.
/// It is deliberately unauthenticated: the emulator only ever listens locally.
/// </summary>
public static class ControlEndpoints
{
    public static void MapControlEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var control = endpoints.MapGroup("/emulator");

        control.MapPut("/faults/{deployment}", PutFaultAsync);
        control.MapGet("/faults", (FaultRegistry faults) =>
            TypedResults.Json(faults.Snapshot().ToDictionary(pair => pair.Key, pair => ToView(pair.Key, pair.Value)),
                EmulatorJsonContext.Default.DictionaryStringFaultView));
        control.MapDelete("/faults", (FaultRegistry faults, ILogger<FaultRegistry> logger) =>
        {
            faults.Clear();
            Log.FaultsCleared(logger, "all deployments");
            return TypedResults.NoContent();
        });
        control.MapDelete("/faults/{deployment}", (string deployment, FaultRegistry faults, ILogger<FaultRegistry> logger) =>
        {
            faults.Remove(deployment);
            Log.FaultsCleared(logger, deployment);
            return TypedResults.NoContent();
        });

        control.MapGet("/requests", (string? deployment, RequestLog log) =>
            TypedResults.Json(log.Snapshot(deployment), EmulatorJsonContext.Default.IReadOnlyListRecordedRequest));
        control.MapDelete("/requests", (RequestLog log) =>
        {
            log.Clear();
            return TypedResults.NoContent();
        });

        control.MapGet("/stats", (EmulatorStats stats) =>
            TypedResults.Json(
                stats.All.ToDictionary(
                    pair => pair.Key,
                    pair => new DeploymentStatsView(
                        pair.Value.Requests, pair.Value.FaultsServed, pair.Value.PromptTokens, pair.Value.CompletionTokens)),
                EmulatorJsonContext.Default.DictionaryStringDeploymentStatsView));
        control.MapDelete("/stats", (EmulatorStats stats) =>
        {
            stats.Clear();
            return TypedResults.NoContent();
        });
    }

    private static async Task<IResult> PutFaultAsync(
        string deployment, HttpRequest request, FaultRegistry faults, ILogger<FaultRegistry> logger)
    {
        FaultSpec? spec;
        try
        {
            spec = await JsonSerializer.DeserializeAsync(request.Body, EmulatorJsonContext.Default.FaultSpec, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            spec = null;
        }

        if (spec is null)
        {
            return ErrorResult("The body must be a JSON object like {\"kind\":\"429\",\"count\":1}.");
        }

        if (!ActiveFault.TryCreate(spec, out var fault, out var error))
        {
            return ErrorResult(error!);
        }

        faults.Set(deployment, fault!);
        Log.FaultSet(logger, fault!.Kind, deployment, fault.Remaining);
        return TypedResults.Json(ToView(deployment, fault), EmulatorJsonContext.Default.FaultView);
    }

    private static FaultView ToView(string deployment, ActiveFault fault) =>
        new(deployment, FaultKindNames.ToName(fault.Kind), fault.Remaining, fault.RetryAfterSeconds, fault.DelayMs);

    private static ProblemHttpResult ErrorResult(string message) =>
        TypedResults.Problem(detail: message, statusCode: StatusCodes.Status400BadRequest);
}
