using System.Text.Json;

namespace Router.Emulator.Wire;

/// <summary>A function tool offered by the caller: its name and the JSON schema of its arguments (null when none is given).</summary>
public sealed record ChatTool(string Name, JsonElement? Parameters);
