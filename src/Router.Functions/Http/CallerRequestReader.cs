using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Router.Core.Catalog;
using Router.Core.Promotion;
using Router.Core.Security;

namespace Router.Functions.Http;

/// <summary>What a call endpoint got from the caller: who it is, the parsed body and its task, or the first problem found.</summary>
public sealed record CallerRequest<T>(ClientIdentity? Client, T? Value, CatalogTask? Task, RequestError? Error)
    where T : class, ITaskCall;

/// <summary>
/// The steps every call endpoint takes, in the same order, so both APIs refuse the same things
/// for the same reasons: key (401/403), body (415/413/400), the endpoint's own parser (400),
/// the task (404), what the task cannot give (400), then the client's rate and budget (429). Each endpoint only renders the error
/// in its own envelope.
/// </summary>
public sealed class CallerRequestReader(ClientAuthenticator authenticator, TaskCatalog catalog, RouteOverrides overrides, ClientAdmission admission)
{
    /// <param name="taskParameter">The body property that names the task ("task" natively, "model" on the OpenAI API).</param>
    public async Task<CallerRequest<T>> ReadAsync<T>(HttpRequest request, int maxBodyBytes, Func<JsonElement, (T? Value, RequestError? Error)> parse, string taskParameter)
        where T : class, ITaskCall
    {
        ArgumentNullException.ThrowIfNull(parse);
        var client = RequestAuthentication.Identify(request, authenticator);
        if (RequestAuthentication.Authorize(client, ClientRoles.Caller) is { } denied)
        {
            return Fail<T>(client, denied);
        }

        var (document, bodyError) = await RequestBodyReader.ReadJsonObjectAsync(request, maxBodyBytes);
        if (bodyError is not null)
        {
            return Fail<T>(client, bodyError);
        }

        T? value;
        // Parsers copy what they keep into strings, so the document can go once they return.
        using (document)
        {
            (value, var parseError) = parse(document!.RootElement);
            if (parseError is not null)
            {
                return Fail<T>(client, parseError);
            }
        }

        if (!catalog.TryResolve(value!.Task, out var task))
        {
            var known = string.Join(", ", catalog.Tasks.Select(t => t.Name));
            return Fail<T>(client, new RequestError(StatusCodes.Status404NotFound, $"Unknown task '{value.Task}' in '{taskParameter}'. Known tasks: {known}.", taskParameter, "model_not_found"));
        }

        // The task as served now: its promoted candidate's route while one is promoted (Overrides/).
        task = overrides.Apply(task);
        if (((ITaskCall)value).CheckAgainst(task) is { } refused)
        {
            return Fail<T>(client, refused);
        }

        if (RequestAuthentication.Admit(client!, admission) is { } limited)
        {
            return Fail<T>(client, limited);
        }

        return new CallerRequest<T>(client, value, task, null);
    }

    private static CallerRequest<T> Fail<T>(ClientIdentity? client, RequestError error)
        where T : class, ITaskCall => new(client, null, null, error);
}
