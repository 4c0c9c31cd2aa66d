using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Router.Core.Security;

namespace Router.Functions.Http;

/// <summary>What a call endpoint got from the caller: who it is and the parsed body, or the first problem found.</summary>
public sealed record CallerRequest<T>(ClientIdentity? Client, T? Value, RequestError? Error)
    where T : class;

/// <summary>
/// The steps every call endpoint takes, in the same order, so both APIs refuse the same things
/// for the same reasons: key (401/403), body (415/413/400), then the endpoint's own parser.
/// Each endpoint only renders the error in its own envelope.
/// </summary>
public static class CallerRequestReader
{
    public static async Task<CallerRequest<T>> ReadAsync<T>(HttpRequest request, ClientAuthenticator authenticator, int maxBodyBytes, Func<JsonElement, (T? Value, RequestError? Error)> parse)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(parse);
        var client = RequestAuthentication.Identify(request, authenticator);
        if (RequestAuthentication.Authorize(client, ClientRoles.Caller) is { } denied)
        {
            return new CallerRequest<T>(client, null, denied);
        }

        var (document, bodyError) = await RequestBodyReader.ReadJsonObjectAsync(request, maxBodyBytes);
        if (bodyError is not null)
        {
            return new CallerRequest<T>(client, null, bodyError);
        }

        // Parsers copy what they keep into strings, so the document can go once they return.
        using (document)
        {
            var (value, error) = parse(document!.RootElement);
            return new CallerRequest<T>(client, value, error);
        }
    }
}
