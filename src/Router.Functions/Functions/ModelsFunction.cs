using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Router.Core.Catalog;
using Router.Core.Security;
using Router.Functions.Http;
using Router.Functions.OpenAi;

namespace Router.Functions.Functions;

/// <summary>
/// GET /api/v1/models: the tasks, as OpenAI model objects (the id is what callers pass as
/// <c>model</c>); GET /api/v1/models/{task}: one of them.
/// </summary>
public sealed class ModelsFunction(TaskCatalog catalog, ClientAuthenticator authenticator)
{
    public const string OwnedBy = "router";

    [Function("Models")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/models")] HttpRequest req)
    {
        if (RequestAuthentication.Authorize(RequestAuthentication.Identify(req, authenticator), ClientRoles.Caller) is { } denied)
        {
            return OpenAiErrorResult.From(denied);
        }

        return Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var task in catalog.Tasks)
            {
                WriteModel(writer, task);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    [Function("Model")]
    public IActionResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/models/{task}")] HttpRequest req, string task)
    {
        if (RequestAuthentication.Authorize(RequestAuthentication.Identify(req, authenticator), ClientRoles.Caller) is { } denied)
        {
            return OpenAiErrorResult.From(denied);
        }

        if (!catalog.TryResolve(task, out var found))
        {
            return new OpenAiErrorResult(StatusCodes.Status404NotFound, $"The model '{task}' does not exist: models are the router's tasks (see GET /api/v1/models).", "invalid_request_error", "model", "model_not_found");
        }

        return Json(writer => WriteModel(writer, found));
    }

    /// <summary>One task as an OpenAI model object.</summary>
    public static void WriteModel(Utf8JsonWriter writer, CatalogTask task)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(task);
        writer.WriteStartObject();
        writer.WriteString("id", task.Name);
        writer.WriteString("object", "model");
        // The date the serving deployment's prices took effect: a stable "created" without inventing one.
        writer.WriteNumber("created", new DateTimeOffset(task.LargeModel.Prices.EffectiveDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds());
        writer.WriteString("owned_by", OwnedBy);
        writer.WriteEndObject();
    }

    private static JsonBodyResult Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        using var body = JsonDocument.Parse(buffer.WrittenMemory);
        return new JsonBodyResult(body.RootElement.Clone());
    }
}
