using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.OpenAi;

/// <summary>
/// Validates JSON against OpenAI's own API spec (Specs/openai-openapi.json, MIT, beside its
/// LICENSE) with JsonSchema.Net as JSON Schema 2020-12. The spec's OpenAPI-only
/// <c>nullable: true</c> is rewritten as "or null"; $refs to components/schemas become $defs.
/// </summary>
internal static class OpenAiSpec
{
    public const string ChatCompletion = "CreateChatCompletionResponse";
    public const string ChatCompletionChunk = "CreateChatCompletionStreamResponse";
    public const string ModelList = "ListModelsResponse";
    public const string Error = "ErrorResponse";
    public const string Response = "Response";

    /// <summary>The spec's schema for each Responses stream event type (the SSE event name and the data's <c>type</c>).</summary>
    public static readonly IReadOnlyDictionary<string, string> ResponseEvents = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["response.created"] = "ResponseCreatedEvent",
        ["response.in_progress"] = "ResponseInProgressEvent",
        ["response.output_item.added"] = "ResponseOutputItemAddedEvent",
        ["response.content_part.added"] = "ResponseContentPartAddedEvent",
        ["response.output_text.delta"] = "ResponseTextDeltaEvent",
        ["response.output_text.done"] = "ResponseTextDoneEvent",
        ["response.content_part.done"] = "ResponseContentPartDoneEvent",
        ["response.output_item.done"] = "ResponseOutputItemDoneEvent",
        ["response.function_call_arguments.delta"] = "ResponseFunctionCallArgumentsDeltaEvent",
        ["response.function_call_arguments.done"] = "ResponseFunctionCallArgumentsDoneEvent",
        ["response.completed"] = "ResponseCompletedEvent",
        ["response.incomplete"] = "ResponseIncompleteEvent",
        ["response.failed"] = "ResponseFailedEvent",
        ["error"] = "ResponseErrorEvent",
    };

    /// <summary>Checks one streamed event against its own schema and against the spec's union of all stream events.</summary>
    public static void AssertValidEvent(string eventType, string json)
    {
        using (var document = JsonDocument.Parse(json))
        {
            Xunit.Assert.Equal(eventType, document.RootElement.GetProperty("type").GetString());
        }

        if (!ResponseEvents.TryGetValue(eventType, out var schema))
        {
            throw new Xunit.Sdk.XunitException($"Unexpected Responses event type '{eventType}'.");
        }

        AssertValid(schema, json);
        AssertValid("ResponseStreamEvent", json);
    }

    private static readonly Lazy<JsonObject> Components = new(LoadComponents);
    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new();

    /// <summary>Null when <paramref name="json"/> is valid against the named schema, else the failures.</summary>
    public static string? Check(string schemaName, string json)
    {
        var schema = Schemas.GetOrAdd(schemaName, Build);
        using var document = JsonDocument.Parse(json);
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return null;
        }

        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        return $"{schemaName} rejects {json}: {string.Join("; ", errors.Take(10))}";
    }

    public static void AssertValid(string schemaName, string json)
    {
        if (Check(schemaName, json) is { } failure)
        {
            throw new Xunit.Sdk.XunitException(failure);
        }
    }

    private static JsonSchema Build(string name)
    {
        var all = Components.Value;
        var defs = new JsonObject();
        var pending = new Stack<string>([name]);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (defs.ContainsKey(next))
            {
                continue;
            }

            var schema = all[next]?.DeepClone() ?? throw new InvalidOperationException($"No schema {next} in the spec.");
            defs[next] = schema;
            foreach (var reference in References(schema))
            {
                pending.Push(reference);
            }
        }

        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = defs,
            ["$ref"] = "#/$defs/" + name,
        };
        return JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://router.test/openai-spec/{name}"));
    }

    private static IEnumerable<string> References(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref" && value?.GetValue<string>() is { } reference && reference.StartsWith("#/$defs/", StringComparison.Ordinal))
                    {
                        yield return reference["#/$defs/".Length..];
                    }

                    foreach (var inner in References(value))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var inner in References(item))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    private static JsonObject LoadComponents()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Specs", "openai-openapi.json");
        var text = File.ReadAllText(path).Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var spec = JsonNode.Parse(text)!.AsObject();
        var schemas = spec["components"]!["schemas"]!.AsObject();
        var rewritten = new JsonObject();
        foreach (var (key, value) in schemas)
        {
            rewritten[key] = RewriteNullable(value?.DeepClone());
        }

        return rewritten;
    }

    /// <summary>OpenAPI 3.0's <c>nullable: true</c> means "or null"; 2020-12 has no such keyword.</summary>
    private static JsonNode? RewriteNullable(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    obj[key] = RewriteNullable(obj[key]?.DeepClone());
                }

                if (obj["nullable"] is JsonValue flag && flag.TryGetValue<bool>(out var nullable))
                {
                    obj.Remove("nullable");
                    if (nullable)
                    {
                        return new JsonObject { ["anyOf"] = new JsonArray(obj, new JsonObject { ["type"] = "null" }) };
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = RewriteNullable(array[i]?.DeepClone());
                }

                return array;
            default:
                return node;
        }
    }
}
