using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Router.Core.Catalog;
using Router.Core.Promotion;
using Router.Core.Routing;
using Router.Core.Security;
using Router.Functions.Http;

namespace Router.Functions.Functions;

/// <summary>
/// GET /api/tasks: the catalog as callers need it, with each task's effective route: the catalog's, or a
/// promoted candidate's (source override, with who, when, why and the evidence at the time). Prompts stay
/// private; their version is shown.
/// </summary>
public sealed class TasksFunction(TaskCatalog catalog, RouteOverrides overrides, ClientAuthenticator authenticator)
{
    [Function("Tasks")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tasks")] HttpRequest req)
    {
        if (RequestAuthentication.Authorize(RequestAuthentication.Identify(req, authenticator), ClientRoles.Caller) is { } denied)
        {
            return RequestAuthentication.ToProblem(denied);
        }

        var tasks = catalog.Tasks.Select(c =>
        {
            var t = overrides.Apply(c);
            return new TaskBody(
                t.Name,
                t.Kind.ToString().ToLowerInvariant(),
                t.Route.ToWire(),
                t.PromotedCandidate is null ? "catalog" : "override",
                c.Route.ToWire(),
                t.Description,
                new DeploymentBody(t.LargeModel.Name, t.LargeModel.Deployment),
                t.SmallModel is { } small ? new DeploymentBody(small.Name, small.Deployment) : null,
                t.PromptVersion,
                t.Examples.Count,
                t.Output.Labels.Count > 0 ? t.Output.Labels : null,
                t.Output.RequiresJson,
                t.CascadeToLarge,
                t.CaptureRate,
                t.PromotedCandidate is null ? null : overrides.Current(t.Name));
        });
        return new JsonBodyResult(new { tasks });
    }

    private sealed record DeploymentBody(string Model, string Deployment);

    private sealed record TaskBody(string Task, string Kind, string Route, string RouteSource, string CatalogRoute, string? Description, DeploymentBody Large, DeploymentBody? Small, string PromptVersion, int Examples, IReadOnlyList<string>? Labels, bool JsonOutput, bool CascadeToLarge, double CaptureRate, RouteOverride? Override);
}
