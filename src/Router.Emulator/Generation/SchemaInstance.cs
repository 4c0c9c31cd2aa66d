using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Router.Emulator.Generation;

/// <summary>
/// Builds a deterministic JSON value that validates against a JSON schema, the way a model
/// following structured outputs would answer: every listed property present (strict schemas
/// require them all), the first enum or const value, numbers inside their bounds, at least
/// <c>minItems</c> array items, strings made of the input's words within their length bounds.
/// Covers the subset of JSON Schema that structured outputs allow (type, properties, required,
/// items, enum, const, anyOf/oneOf/allOf, local <c>$ref</c> into <c>$defs</c>/<c>definitions</c>).
/// </summary>
public static class SchemaInstance
{
    private const int MaxDepth = 12;

    public static string Build(JsonElement schema, string sourceText)
    {
        var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output))
        {
            Write(writer, schema, schema, sourceText, 0);
        }

        return Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
    }

    private static void Write(Utf8JsonWriter writer, JsonElement schema, JsonElement root, string text, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object || depth > MaxDepth)
        {
            writer.WriteNullValue();
            return;
        }

        if (schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String
            && Resolve(root, reference.GetString()!) is { } target)
        {
            Write(writer, target, root, text, depth + 1);
            return;
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            constant.WriteTo(writer);
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(writer);
            return;
        }

        foreach (var combinator in (ReadOnlySpan<string>)["anyOf", "oneOf", "allOf"])
        {
            if (schema.TryGetProperty(combinator, out var options) && options.ValueKind == JsonValueKind.Array && options.GetArrayLength() > 0)
            {
                Write(writer, FirstNonNull(options), root, text, depth + 1);
                return;
            }
        }

        switch (TypeOf(schema))
        {
            case "object":
                WriteObject(writer, schema, root, text, depth);
                break;
            case "array":
                WriteArray(writer, schema, root, text, depth);
                break;
            case "integer":
                writer.WriteNumberValue((long)Math.Ceiling(NumberIn(schema, 1)));
                break;
            case "number":
                writer.WriteNumberValue(NumberIn(schema, 1));
                break;
            case "boolean":
                writer.WriteBooleanValue(true);
                break;
            case "null":
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(StringFor(schema, text));
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement schema, JsonElement root, string text, int depth)
    {
        writer.WriteStartObject();
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                writer.WritePropertyName(property.Name);
                Write(writer, property.Value, root, text, depth + 1);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter writer, JsonElement schema, JsonElement root, string text, int depth)
    {
        var count = 1;
        if (schema.TryGetProperty("minItems", out var min) && min.TryGetInt32(out var minItems))
        {
            count = Math.Max(count, minItems);
        }

        if (schema.TryGetProperty("maxItems", out var max) && max.TryGetInt32(out var maxItems))
        {
            count = Math.Min(count, maxItems);
        }

        writer.WriteStartArray();
        if (schema.TryGetProperty("items", out var items))
        {
            for (var i = 0; i < count; i++)
            {
                Write(writer, items, root, text, depth + 1);
            }
        }

        writer.WriteEndArray();
    }

    private static string? TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : schema.TryGetProperty("items", out _) ? "array" : null;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString();
        }

        if (type.ValueKind == JsonValueKind.Array)
        {
            // ["string", "null"]: a real value is the more useful answer.
            foreach (var option in type.EnumerateArray())
            {
                if (option.ValueKind == JsonValueKind.String && !option.ValueEquals("null"))
                {
                    return option.GetString();
                }
            }

            return "null";
        }

        return null;
    }

    private static JsonElement FirstNonNull(JsonElement options)
    {
        foreach (var option in options.EnumerateArray())
        {
            if (!(option.ValueKind == JsonValueKind.Object && option.TryGetProperty("type", out var t) && t.ValueEquals("null")))
            {
                return option;
            }
        }

        return options[0];
    }

    private static double NumberIn(JsonElement schema, double preferred)
    {
        var value = preferred;
        if (schema.TryGetProperty("minimum", out var min) && min.TryGetDouble(out var minimum))
        {
            value = Math.Max(value, minimum);
        }

        if (schema.TryGetProperty("exclusiveMinimum", out var exclusiveMin) && exclusiveMin.TryGetDouble(out var exclusiveMinimum) && value <= exclusiveMinimum)
        {
            value = exclusiveMinimum + 1;
        }

        if (schema.TryGetProperty("maximum", out var max) && max.TryGetDouble(out var maximum))
        {
            value = Math.Min(value, maximum);
        }

        if (schema.TryGetProperty("exclusiveMaximum", out var exclusiveMax) && exclusiveMax.TryGetDouble(out var exclusiveMaximum) && value >= exclusiveMaximum)
        {
            value = exclusiveMaximum - 1;
        }

        return value;
    }

    private static string StringFor(JsonElement schema, string text)
    {
        if (schema.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String)
        {
            switch (format.GetString())
            {
                case "date-time":
                    return "2024-01-01T00:00:00Z";
                case "date":
                    return "2024-01-01";
                case "time":
                    return "00:00:00Z";
                case "email":
                    return "user@example.com";
                case "uri":
                    return "https://example.com/";
                case "uuid":
                    return "00000000-0000-4000-8000-000000000000";
            }
        }

        var value = text.Length == 0 ? "text" : text;
        if (schema.TryGetProperty("maxLength", out var max) && max.TryGetInt32(out var maxLength) && value.Length > maxLength)
        {
            value = value[..Math.Max(0, maxLength)];
        }

        if (schema.TryGetProperty("minLength", out var min) && min.TryGetInt32(out var minLength) && value.Length < minLength)
        {
            value = value.PadRight(minLength, 'x');
        }

        return value;
    }

    private static JsonElement? Resolve(JsonElement root, string reference)
    {
        if (reference == "#")
        {
            return root;
        }

        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        var current = root;
        foreach (var segment in reference[2..].Split('/'))
        {
            var name = Uri.UnescapeDataString(segment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(name, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }
}
