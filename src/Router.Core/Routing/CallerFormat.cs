using System.Text.Json;
using Json.Schema;

namespace Router.Core.Routing;

/// <summary>
/// The output format a caller asked for (<c>response_format</c> on chat completions,
/// <c>text.format</c> on Responses): JSON, or JSON valid against the caller's schema. It goes
/// upstream as the SDK's structured-output option and is an output rule for this call, checked
/// beside the task's own: a small-model answer that breaks it escalates like a task rule violation.
/// </summary>
public sealed class CallerFormat
{
    private readonly JsonSchema? _schema;

    private CallerFormat(string? name, string? schemaText, string? description, bool? strict, JsonSchema? schema)
    {
        Name = name;
        SchemaText = schemaText;
        Description = description;
        Strict = strict;
        _schema = schema;
    }

    /// <summary>Any JSON object (<c>json_object</c>).</summary>
    public static CallerFormat JsonObject { get; } = new(null, null, null, null, null);

    /// <summary>The schema's name (json_schema); null for json_object.</summary>
    public string? Name { get; }

    /// <summary>The caller's JSON Schema text; null for json_object.</summary>
    public string? SchemaText { get; }

    public string? Description { get; }

    public bool? Strict { get; }

    public bool HasSchema => SchemaText is not null;

    /// <summary>A json_schema format; the schema is read with JsonSchema.Net first, so a bad one is the caller's 400, never an upstream error.</summary>
    public static (CallerFormat? Format, string? Error) Schema(string name, string schemaText, string? description, bool? strict)
    {
        ArgumentNullException.ThrowIfNull(schemaText);
        try
        {
            // A registry of its own per call: a caller's $id must never meet another caller's (or the task's) schema.
            var schema = JsonSchema.FromText(schemaText, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://router.invalid/caller-schema/{Guid.NewGuid():N}"));
            return (new CallerFormat(name, schemaText, description, strict, schema), null);
        }
        catch (Exception ex) when (ex is JsonException or JsonSchemaException or ArgumentException or InvalidOperationException or RefResolutionException)
        {
            return (null, "the schema is not a valid JSON Schema: " + ex.Message);
        }
    }

    /// <summary>Returns null when the answer is what the caller asked for, else why it is not.</summary>
    public string? Check(string? output)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(output ?? string.Empty);
        }
        catch (JsonException)
        {
            return "output is not valid JSON (caller's format)";
        }

        using (document)
        {
            if (_schema is null)
            {
                return document.RootElement.ValueKind == JsonValueKind.Object ? null : "output is not a JSON object (caller's format)";
            }

            return _schema.Evaluate(document.RootElement).IsValid ? null : "output does not match the caller's JSON schema";
        }
    }
}
