using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Router.Emulator.Wire;

/// <summary>Writes the OpenAI error envelope <c>{"error":{"message","type","param","code"}}</c>.</summary>
public static class ErrorResponses
{
    public static async Task WriteAsync(
        HttpResponse response,
        int statusCode,
        string message,
        string type,
        string? code,
        string? param = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", type);
            writer.WriteString("param", param);
            writer.WriteString("code", code);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync();
    }

    public static Task BadRequestAsync(HttpResponse response, string message, string? param = null) =>
        WriteAsync(response, StatusCodes.Status400BadRequest, message, "invalid_request_error", null, param);

    public static Task UnauthorizedAsync(HttpResponse response) =>
        WriteAsync(
            response,
            StatusCodes.Status401Unauthorized,
            "Incorrect API key provided. Access denied due to invalid subscription key or wrong API endpoint.",
            "invalid_request_error",
            "invalid_api_key");
}
