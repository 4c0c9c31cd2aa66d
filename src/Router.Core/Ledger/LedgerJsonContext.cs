using System.Text.Json.Serialization;

namespace Router.Core.Ledger;

/// <summary>Source-generated JSON for the JSON-valued columns of ledger rows (a call's metadata pairs): no reflection when a row is built or read.</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
