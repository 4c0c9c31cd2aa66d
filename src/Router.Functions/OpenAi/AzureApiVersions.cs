using Microsoft.AspNetCore.Http;
using Router.Functions.Http;

namespace Router.Functions.OpenAi;

/// <summary>
/// The <c>api-version</c> values the Azure OpenAI deployment path accepts: the data-plane
/// versions whose chat completions shape the router serves (docs/openai-compat.md lists them).
/// As on Azure, the deployment path needs one; a missing or unknown one is a 400 naming it.
/// </summary>
public static class AzureApiVersions
{
    public const string Param = "api-version";

    public static readonly IReadOnlyList<string> Accepted =
    [
        "2024-02-01", "2024-06-01", "2024-10-21",
        "2024-08-01-preview", "2024-09-01-preview", "2024-10-01-preview", "2024-12-01-preview",
        "2025-01-01-preview", "2025-02-01-preview", "2025-03-01-preview", "2025-04-01-preview",
    ];

    public static RequestError? Check(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var version = request.Query[Param].ToString();
        if (string.IsNullOrEmpty(version))
        {
            return new RequestError(StatusCodes.Status400BadRequest, $"Missing required query parameter '{Param}' (accepted: {string.Join(", ", Accepted)}).", Param, "missing_required_parameter");
        }

        return Accepted.Contains(version, StringComparer.Ordinal)
            ? null
            : new RequestError(StatusCodes.Status400BadRequest, $"Unsupported {Param} '{version}' (accepted: {string.Join(", ", Accepted)}).", Param, "invalid_value");
    }
}
