using System.Text.Json;
using System.Text.Json.Serialization;
using Router.Emulator.Faults;
using Router.Emulator.Recording;

namespace Router.Emulator.Endpoints;

/// <summary>Source-generated serialization for the control API and health: camelCase, no reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FaultSpec))]
[JsonSerializable(typeof(FaultView))]
[JsonSerializable(typeof(Dictionary<string, FaultView>))]
[JsonSerializable(typeof(Dictionary<string, DeploymentStatsView>))]
[JsonSerializable(typeof(IReadOnlyList<RecordedRequest>))]
[JsonSerializable(typeof(HealthView))]
[JsonSerializable(typeof(Dictionary<string, Quality.QualityView>))]
public sealed partial class EmulatorJsonContext : JsonSerializerContext;
