using Microsoft.AspNetCore.Http;
using Router.Core.Security;

namespace Router.Functions.Http;

/// <summary>
/// The router authenticates every request itself (functions are authLevel anonymous), so
/// both host modes enforce the same keys and roles. The client name comes from the key.
/// </summary>
public static class RequestAuthentication
{
    public static ClientIdentity? Identify(HttpRequest request, ClientAuthenticator authenticator)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(authenticator);
        var headers = request.Headers;
        var key = ClientAuthenticator.KeyFromHeaders(headers.Authorization, headers["api-key"], headers["x-functions-key"]);
        return authenticator.Authenticate(key);
    }

    /// <summary>Null when the request may go on; otherwise the 401 or 403 to answer.</summary>
    public static RequestError? Authorize(ClientIdentity? client, string role)
    {
        if (client is null)
        {
            return new RequestError(StatusCodes.Status401Unauthorized, "Missing or invalid key: send it as 'Authorization: Bearer <key>', 'api-key' or 'x-functions-key'.", Code: "invalid_api_key");
        }

        var allowed = role == ClientRoles.Admin ? client.IsAdmin : client.IsCaller;
        return allowed ? null : new RequestError(StatusCodes.Status403Forbidden, $"This key does not have the '{role}' role.", Code: "forbidden");
    }

    /// <summary>Null when the client may call now; otherwise the 429 (rate or budget) with when to come back.</summary>
    public static RequestError? Admit(ClientIdentity client, ClientAdmission admission)
    {
        ArgumentNullException.ThrowIfNull(admission);
        var decision = admission.Admit(client);
        return decision.Allowed ? null : new RequestError(StatusCodes.Status429TooManyRequests, decision.Reason!, Code: decision.Code!, RetryAfter: decision.RetryAfter);
    }

    public static JsonBodyResult ToProblem(RequestError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Status switch
        {
            StatusCodes.Status401Unauthorized => Problem.Unauthorized(error.Message),
            StatusCodes.Status403Forbidden => Problem.Forbidden(error.Message),
            StatusCodes.Status404NotFound => Problem.NotFound(error.Message),
            StatusCodes.Status413PayloadTooLarge => Problem.Create(error.Status, "Payload too large", error.Message),
            StatusCodes.Status415UnsupportedMediaType => Problem.Create(error.Status, "Unsupported media type", error.Message),
            StatusCodes.Status429TooManyRequests => Problem.Create(error.Status, "Too many requests", error.Message, retryAfter: error.RetryAfter),
            _ => Problem.Create(error.Status, "Bad request", error.Message),
        };
    }
}
