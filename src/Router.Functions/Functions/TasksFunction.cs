using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Router.Core.Catalog;
using Router.Core.Classifier;
using Router.Core.Promotion;
using Router.Core.Routing;
using Router.Core.Security;
using Router.Functions.Http;

namespace Router.Functions.Functions;

/// <summary>
/// GET /api/tasks: the catalog as callers need it, with each task's effective route: the catalog's, or a
/// promoted candidate's (source override, with who, when, why and the evidence at the time). A local classifier
/// names the version it serves (a promoted route's pinned version) and each candidate the version it is measured
/// at. Prompts stay private; their version is shown.
/// </summary>
public sealed class TasksFunction(TaskCatalog catalog, RouteOverrides overrides, LocalClassifiers classifiers, ClientAuthenticator authenticator)
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
                new DeploymentBody(t.LargeModel.Name, t.LargeModel.Deployment, null),
                t.SmallModel is { } small ? new DeploymentBody(small.Name, small.Deployment, classifiers.VersionOf(small)) : null,
                t.PromptVersion,
                t.Examples.Count,
                t.Output.Labels.Count > 0 ? t.Output.Labels : null,
                t.Output.RequiresJson,
                t.CascadeToLarge,
                t.CaptureRate,
                t.PromotedCandidate is null ? null : overrides.Current(t.Name),
                c.Candidates.Select(k => new CandidateBody(k.Name, k.Model.Name, k.Prompt.ToWire(), classifiers.VersionOf(k.Model))).ToArray());
        });
        return new JsonBodyResult(new { tasks });
    }

    /// <param name="Version">A local classifier's version answering on this route (a promoted route's pinned one); null for a deployment.</param>
    private sealed record DeploymentBody(string Model, string Deployment, string? Version);

    /// <param name="Version">The version shadow evaluation measures (a local classifier's newest trained); null for a deployment.</param>
    private sealed record CandidateBody(string Candidate, string Model, string Prompt, string? Version);

    private sealed record TaskBody(string Task, string Kind, string Route, string RouteSource, string CatalogRoute, string? Description, DeploymentBody Large, DeploymentBody? Small, string PromptVersion, int Examples, IReadOnlyList<string>? Labels, bool JsonOutput, bool CascadeToLarge, double CaptureRate, RouteOverride? Override, IReadOnlyList<CandidateBody> Candidates);
}
