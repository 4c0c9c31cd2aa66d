using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Router.Core.Promotion;
using Router.Core.Security;
using Router.Functions.Http;

namespace Router.Functions.Functions;

/// <summary>
/// POST /api/tasks/{task}/route (admin) <c>{candidate, reason, force?, version?}</c>: the candidate (a local classifier at
/// <c>version</c>, by default its newest, pinned to it) serves the task from
/// now on, on every instance within the refresh interval; refused with the numbers when its shadow evidence
/// does not meet the task's quality bar, unless <c>force</c>. DELETE (admin, <c>?reason=</c>): the catalog route again.
/// </summary>
public sealed class TaskRouteFunction(RoutePromotion promotion, ClientAuthenticator authenticator)
{
    private const int MaxBodyBytes = 16 * 1024;

    /// <summary>One function for both methods: the standalone host and the host parity test map one function per route.</summary>
    [Function("TaskRoute")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", "delete", Route = "tasks/{task}/route")] HttpRequest req, string task)
    {
        ArgumentNullException.ThrowIfNull(req);
        var client = RequestAuthentication.Identify(req, authenticator);
        if (RequestAuthentication.Authorize(client, ClientRoles.Admin) is { } denied)
        {
            return RequestAuthentication.ToProblem(denied);
        }

        return HttpMethods.IsDelete(req.Method) ? await RestoreAsync(req, task, client!) : await PromoteAsync(req, task, client!);
    }

    private async Task<IActionResult> PromoteAsync(HttpRequest req, string task, ClientIdentity client)
    {
        var (document, bodyError) = await RequestBodyReader.ReadJsonObjectAsync(req, MaxBodyBytes);
        if (bodyError is not null)
        {
            return RequestAuthentication.ToProblem(bodyError);
        }

        PromotionRequest request;
        using (document)
        {
            var root = document!.RootElement;
            var candidate = Text(root, "candidate");
            var reason = Text(root, "reason");
            if (candidate is null)
            {
                return Problem.BadRequest("'candidate' is required: the name of one of the task's candidates (GET /api/distillation shows them with their evidence).");
            }

            if (reason is null)
            {
                return Problem.BadRequest("'reason' is required: why this candidate should serve the task (kept in the route's history).");
            }

            if (root.TryGetProperty("force", out var force) && force.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Problem.BadRequest("'force' must be true or false.");
            }

            if (root.TryGetProperty("version", out var version) && (version.ValueKind != JsonValueKind.String || Text(root, "version") is null))
            {
                return Problem.BadRequest("'version' must be a local classifier's trained version (a string, as POST /api/distillation/{task}/train answered it); leave it out for the newest.");
            }

            request = new PromotionRequest(candidate, reason, root.TryGetProperty("force", out var f) && f.GetBoolean(), client.Name, Text(root, "version"));
        }

        var (promoted, refused) = await promotion.PromoteAsync(task, request, req.HttpContext.RequestAborted);
        return refused is not null ? Refusal(refused) : new JsonBodyResult(new { task = promoted!.Task, source = "override", @override = promoted }, StatusCodes.Status200OK);
    }

    private async Task<IActionResult> RestoreAsync(HttpRequest req, string task, ClientIdentity client)
    {
        string? reason = req.Query["reason"];
        var (removed, refused) = await promotion.RestoreAsync(task, client.Name, reason, req.HttpContext.RequestAborted);
        return refused is not null ? Refusal(refused) : new JsonBodyResult(new { task = task.ToLowerInvariant(), source = "catalog", removed }, StatusCodes.Status200OK);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    private static JsonBodyResult Refusal(OverrideRefusal refused) => Problem.Create(
        refused.Status,
        refused.Status switch { StatusCodes.Status404NotFound => "Not found", StatusCodes.Status400BadRequest => "Bad request", _ => "Conflict" },
        refused.Message);
}
