using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Router.Core.Ledger;
using Router.Core.Security;
using Router.Functions.Http;

namespace Router.Functions.Functions;

/// <summary>
/// GET /api/usage?task=&amp;client=&amp;from=&amp;to=&amp;groupBy=&amp;api=&amp;metadata.key=: calls, cost, tokens, latency
/// percentiles and fallback rate from RouterRollups (by metadata or API: from the call rows, at most a week). A caller sees only its own client's usage (asking for
/// another client is 403); an admin sees every client, or the one named.
/// </summary>
public sealed class UsageFunction(UsageReader reader, ClientAuthenticator authenticator, TimeProvider time)
{
    [Function("Usage")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "usage")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        var identity = RequestAuthentication.Identify(req, authenticator);
        if (RequestAuthentication.Authorize(identity, ClientRoles.Caller) is { } denied)
        {
            return RequestAuthentication.ToProblem(denied);
        }

        var parameters = req.Query;
        var client = Single(parameters, "client");
        if (!identity!.IsAdmin)
        {
            if (client is not null && client != identity.Name)
            {
                return Problem.Forbidden($"client: a caller sees only its own usage ('{identity.Name}'); reading another client's usage needs the admin role.");
            }

            client = identity.Name;
        }

        foreach (var name in parameters.Keys)
        {
            if (parameters[name].Count > 1)
            {
                return Problem.BadRequest($"{name}: give the parameter once.");
            }

            if (!KnownParameters.Contains(name) && !name.StartsWith(MetadataPrefix, StringComparison.Ordinal))
            {
                return Problem.BadRequest($"{name}: unknown parameter; use task, client, from, to, groupBy, api, metadata.<key>.");
            }
        }

        // metadata.team=search: calls whose metadata (OpenAI's string pairs, recorded on the call row) holds that pair.
        var metadata = parameters.Keys.Where(n => n.StartsWith(MetadataPrefix, StringComparison.Ordinal))
            .ToDictionary(n => n[MetadataPrefix.Length..], n => parameters[n][0] ?? string.Empty, StringComparer.Ordinal);
        if (!UsageQuery.TryParse(Single(parameters, "task"), client, Single(parameters, "from"), Single(parameters, "to"), Single(parameters, "groupBy"), time.GetUtcNow(), out var parsed, out var error)
            || !parsed.TryNarrow(metadata, Single(parameters, "api"), out var query, out error))
        {
            return Problem.BadRequest(error!.Message);
        }

        var report = await reader.ReadAsync(query, req.HttpContext.RequestAborted);
        return new JsonBodyResult(report);
    }

    private const string MetadataPrefix = "metadata.";

    private static readonly HashSet<string> KnownParameters = new(StringComparer.OrdinalIgnoreCase) { "task", "client", "from", "to", "groupBy", "api" };

    private static string? Single(IQueryCollection parameters, string name) =>
        parameters.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;
}
