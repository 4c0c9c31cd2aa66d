using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace Router.Functions.Http;

/// <summary>
/// Reads a JSON request body with the checks every endpoint needs, in the order a caller
/// can act on: content type (415), size (413), UTF-8 (400), JSON syntax (400), object (400).
/// </summary>
public static class RequestBodyReader
{
    public static async Task<(JsonDocument? Document, RequestError? Error)> ReadJsonObjectAsync(HttpRequest request, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        var contentType = request.ContentType;
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !contentType.Contains("+json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new RequestError(StatusCodes.Status415UnsupportedMediaType, $"Content-Type must be application/json (got '{contentType ?? "none"}').", Code: "unsupported_media_type"));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        // A declared length (the usual case) is read into one array of that size, which the document
        // then keeps: no pooled copy and no second copy. A body of unknown length grows in pooled buffers
        // and is copied once at the end.
        ReadOnlyMemory<byte> body;
        if (request.ContentLength is { } declared)
        {
            body = await ReadDeclaredAsync(request, (int)declared);
        }
        else
        {
            (body, var error) = await ReadChunkedAsync(request, maxBytes);
            if (error is not null)
            {
                return (null, error);
            }
        }

        if (body.Length == 0)
        {
            return (null, new RequestError(StatusCodes.Status400BadRequest, "The request body is empty; send a JSON object."));
        }

        if (!Utf8.IsValid(body.Span))
        {
            return (null, new RequestError(StatusCodes.Status400BadRequest, "The request body is not valid UTF-8."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            return (null, new RequestError(StatusCodes.Status400BadRequest, $"The request body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})."));
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, new RequestError(StatusCodes.Status400BadRequest, "The request body must be a JSON object."));
        }

        // Only an escaped string can hold a lone surrogate (raw UTF-8 was validated above), so one
        // reader pass over the bytes decides; the path is looked for only when there is one.
        if (HasUndecodableEscape(body.Span) && FirstUndecodableString(document.RootElement) is { } path)
        {
            document.Dispose();
            return (null, new RequestError(StatusCodes.Status400BadRequest, $"The request body holds a string that is not valid Unicode (a lone surrogate escape such as \\uDD3D) at {path}.", path));
        }

        return (document, null);
    }

    /// <summary>A body of declared length (at most the limit, checked above), read into one array of that size.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadDeclaredAsync(HttpRequest request, int declared)
    {
        var body = new byte[declared];
        var length = 0;
        while (length < declared)
        {
            var read = await request.Body.ReadAsync(body.AsMemory(length), request.HttpContext.RequestAborted);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        // Kestrel refuses a body longer than its Content-Length, so a declared body is complete here (or cut short by the client).
        return body.AsMemory(0, length);
    }

    private static async Task<(ReadOnlyMemory<byte> Body, RequestError? Error)> ReadChunkedAsync(HttpRequest request, int maxBytes)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 16 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > maxBytes)
                    {
                        return (default, TooLarge(maxBytes));
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length, buffer.Length - length), request.HttpContext.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    return (default, TooLarge(maxBytes));
                }
            }

            // An owned copy: the document keeps a reference to its memory and the pooled buffer goes back below.
            return (buffer.AsSpan(0, length).ToArray(), null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool HasUndecodableEscape(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Valid UTF-8 can still escape a lone surrogate (<c>"\uDD3D"</c>), which no string can hold;
    /// found here once, parsers downstream may read any string without a crash.
    /// </summary>
    private static string? FirstUndecodableString(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return TryDecode(element) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstUndecodableString(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path + " (a property name)";
                    }

                    if (FirstUndecodableString(property.Value, path + "." + name) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool TryDecode(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static RequestError TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the limit of {maxBytes} bytes (Router:MaxRequestBodyBytes).", Code: "request_too_large");
}
