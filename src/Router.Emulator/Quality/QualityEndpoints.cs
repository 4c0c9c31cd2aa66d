using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Router.Emulator.Endpoints;

namespace Router.Emulator.Quality;

/// <summary><c>GET /emulator/quality</c>: per deployment with a quality knob, answers given and answers altered; <c>DELETE</c> resets.</summary>
public static class QualityEndpoints
{
    public static void MapQualityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/emulator/quality", (QualityKnob knob) =>
            TypedResults.Json(
                knob.Counters.ToDictionary(p => p.Key, p => new QualityView(p.Value.Answers, p.Value.Altered)),
                EmulatorJsonContext.Default.DictionaryStringQualityView));
        endpoints.MapDelete("/emulator/quality", (QualityKnob knob) =>
        {
            knob.Clear();
            return TypedResults.NoContent();
        });
    }
}

public sealed record QualityView(long Answers, long Altered);
