using System.Net.Http.Json;
using System.Text.Json;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.OpenAi;

/// <summary>What the emulator received: its request log (GET /emulator/requests), searched by a marker the test put in the messages.</summary>
internal static class EmulatorRequests
{
    /// <summary>Every logged request whose messages contain <paramref name="marker"/>, oldest first.</summary>
    public static async Task<List<JsonElement>> WithMarkerAsync(EmulatorServer emulator, string marker)
    {
        var log = await emulator.Control.GetFromJsonAsync<JsonElement>("emulator/requests");
        var requests = log.ValueKind == JsonValueKind.Array ? log : log.GetProperty("requests");
        return requests.EnumerateArray().Where(r => r.GetProperty("messages").GetRawText().Contains(marker, StringComparison.Ordinal)).Select(r => r.Clone()).ToList();
    }

    public static async Task<JsonElement> SingleWithMarkerAsync(EmulatorServer emulator, string marker)
    {
        var found = await WithMarkerAsync(emulator, marker);
        return found.Count == 1 ? found[0] : throw new Xunit.Sdk.XunitException($"Expected one upstream request with marker {marker}, the emulator saw {found.Count}.");
    }
}
