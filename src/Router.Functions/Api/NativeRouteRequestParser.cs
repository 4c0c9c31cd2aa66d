using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Router.Functions.Http;

namespace Router.Functions.Api;

/// <summary>
/// Strict parsing of POST /api/route: every problem is reported by property name, and
/// unknown properties are refused so that a typo (say "maxTokens") is not silently ignored.
/// </summary>
public static class NativeRouteRequestParser
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "task", "input", "context", "maxOutputTokens", "temperature" };

    public static (NativeRouteRequest? Request, RequestError? Error) Parse(JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (!Known.Contains(property.Name))
            {
                return Fail($"Unknown property '{property.Name}'; expected task, input, context, maxOutputTokens, temperature.", property.Name);
            }
        }

        if (!TryString(root, "task", required: true, out var task, out var error) ||
            !TryString(root, "input", required: true, out var input, out error) ||
            !TryString(root, "context", required: false, out var context, out error))
        {
            return (null, error);
        }

        if (string.IsNullOrWhiteSpace(task))
        {
            return Fail("'task' must not be empty.", "task");
        }

        if (string.IsNullOrWhiteSpace(input))
        {
            return Fail("'input' must not be empty.", "input");
        }

        int? maxOutputTokens = null;
        if (root.TryGetProperty("maxOutputTokens", out var max) && max.ValueKind != JsonValueKind.Null)
        {
            if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out var value) || value is < 1 or > 128_000)
            {
                return Fail("'maxOutputTokens' must be an integer from 1 to 128000.", "maxOutputTokens");
            }

            maxOutputTokens = value;
        }

        double? temperature = null;
        if (root.TryGetProperty("temperature", out var temp) && temp.ValueKind != JsonValueKind.Null)
        {
            if (temp.ValueKind != JsonValueKind.Number || !temp.TryGetDouble(out var value) || value is < 0 or > 2)
            {
                return Fail("'temperature' must be a number from 0 to 2.", "temperature");
            }

            temperature = value;
        }

        return (new NativeRouteRequest(task!, input!, string.IsNullOrWhiteSpace(context) ? null : context, maxOutputTokens, temperature), null);
    }

    private static bool TryString(JsonElement root, string name, bool required, out string? value, out RequestError? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                error = new RequestError(StatusCodes.Status400BadRequest, $"'{name}' is required.", name);
                return false;
            }

            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = new RequestError(StatusCodes.Status400BadRequest, $"'{name}' must be a string (got {element.ValueKind.ToString().ToLowerInvariant()}).", name);
            return false;
        }

        value = element.GetString();
        return true;
    }

    private static (NativeRouteRequest?, RequestError?) Fail(string message, string param) =>
        (null, new RequestError(StatusCodes.Status400BadRequest, message, param));
}
