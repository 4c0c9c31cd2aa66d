using System.Text.Json.Serialization;

namespace Router.Core.Ledger.Journal;

/// <summary>Source-generated JSON for journal records: no reflection on the request path.</summary>
[JsonSerializable(typeof(CallRecord))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
