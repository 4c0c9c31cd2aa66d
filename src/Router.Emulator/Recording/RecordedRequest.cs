using System.Text.Json;

namespace Router.Emulator.Recording;

/// <summary>One chat request as the emulator saw it, for tests to check what the router sent.</summary>
public sealed record RecordedRequest(
    string Deployment,
    string WireFormat,
    JsonElement Messages,
    bool Stream,
    int? MaxTokens,
    DateTimeOffset Timestamp,
    string? ClientRequestId,
    string? ApiVersion);
