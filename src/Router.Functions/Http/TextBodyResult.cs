using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Router.Functions.Http;

/// <summary>A pre-rendered body (Markdown, JSON made with other options) written as is, in both host modes.</summary>
public sealed class TextBodyResult(string body, string contentType, int status = StatusCodes.Status200OK) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), context.HttpContext.RequestAborted);
    }
}
