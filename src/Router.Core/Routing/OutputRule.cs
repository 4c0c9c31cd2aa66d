using System.Text.Json;
using Json.Schema;

namespace Router.Core.Routing;

/// <summary>
/// What a task's answer must look like: one of a fixed set of labels, or JSON valid
/// against a schema. A small-model answer that breaks the rule escalates to the large model.
/// </summary>
public sealed class OutputRule
{
    public static readonly OutputRule None = new([], null);

    private readonly JsonSchema? _schema;

    public OutputRule(IReadOnlyList<string> labels, string? jsonSchemaText)
    {
        Labels = labels;
        JsonSchemaText = string.IsNullOrWhiteSpace(jsonSchemaText) ? null : jsonSchemaText;
        _schema = JsonSchemaText is null ? null : JsonSchema.FromText(JsonSchemaText);
    }

    public IReadOnlyList<string> Labels { get; }

    public string? JsonSchemaText { get; }

    public bool RequiresJson => _schema is not null;

    /// <summary>Returns null when the output follows the rule, else why it does not.</summary>
    public string? Check(string? output)
    {
        if (Labels.Count > 0)
        {
            var answer = output?.Trim() ?? string.Empty;
            foreach (var label in Labels)
            {
                if (string.Equals(label, answer, StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }
            }

            return "output is not one of the allowed labels";
        }

        if (_schema is not null)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(output ?? string.Empty);
            }
            catch (JsonException)
            {
                return "output is not valid JSON";
            }

            using (document)
            {
                var result = _schema.Evaluate(document.RootElement);
                return result.IsValid ? null : "output does not match the JSON schema";
            }
        }

        return null;
    }
}
