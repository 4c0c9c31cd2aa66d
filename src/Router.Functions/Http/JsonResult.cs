using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Router.Functions.Http;

/// <summary>
/// Writes a JSON body straight to the response. Works the same under the Functions host
/// and in standalone mode (no MVC formatters involved), and lets a function set headers.
/// </summary>
public sealed class JsonBodyResult(object body, int status = StatusCodes.Status200OK, string contentType = "application/json; charset=utf-8", JsonSerializerOptions? options = null) : IActionResult
{
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        await JsonSerializer.SerializeAsync(response.Body, body, body.GetType(), options ?? RouterJson.Options, context.HttpContext.RequestAborted);
    }
}
