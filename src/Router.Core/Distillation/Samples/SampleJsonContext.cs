using System.Text.Json;
using System.Text.Json.Serialization;
using Router.Core.Routing;

namespace Router.Core.Distillation.Samples;

/// <summary>
/// Source-generated JSON (web defaults: camelCase) for the JSON-valued columns of a captured sample:
/// its messages, the caller's tools and the answer's tool calls. Built on the request path for every
/// captured call, so without reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<CallerMessage>))]
[JsonSerializable(typeof(List<CallerMessage>))]
[JsonSerializable(typeof(IReadOnlyList<ToolDefinition>))]
[JsonSerializable(typeof(List<ToolDefinition>))]
[JsonSerializable(typeof(IReadOnlyList<Models.ToolCall>))]
[JsonSerializable(typeof(List<Models.ToolCall>))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
