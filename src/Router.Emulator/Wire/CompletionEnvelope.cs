namespace Router.Emulator.Wire;

/// <summary>The fields every completion and chunk of one answer share.</summary>
public readonly record struct CompletionEnvelope(string Id, long CreatedUnixSeconds, string Model);
