using System.Text.Json;

namespace Router.Emulator.Recording;

/// <summary>
/// One chat request as the emulator saw it, for tests to check what the router sent.
/// <see cref="Parameters"/> holds every top-level body property but <c>messages</c>
/// (temperature, top_p, stop, seed, tools, response_format, ...).
/// </summary>
public sealed record RecordedRequest(
    string Deployment,
    string WireFormat,
    JsonElement Messages,
    bool Stream,
    int? MaxTokens,
    DateTimeOffset Timestamp,
    string? ClientRequestId,
    string? ApiVersion,
    JsonElement? Parameters = null);
