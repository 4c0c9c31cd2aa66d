using System.Net.Http.Json;
using System.Text.Json;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Resilience;

/// <summary>
/// A router of its own whose deployments have names no other test uses, so faults armed in
/// the shared emulator touch only this test's calls.
/// </summary>
internal sealed class FaultyDeployments
{
    public FaultyDeployments(SharedServers stack)
    {
        Stack = stack;
        var id = Guid.NewGuid().ToString("N")[..10];
        Large = "large-" + id;
        Small = "small-ft-" + id;
        Settings = stack.Settings;
        Settings["Router:Models:large:Deployment"] = Large;
        Settings["Router:Models:small:Deployment"] = Small;
    }

    public SharedServers Stack { get; }

    public string Large { get; }

    public string Small { get; }

    public Dictionary<string, string?> Settings { get; }

    public async Task ArmAsync(string deployment, object fault)
    {
        using var response = await Stack.Emulator.Control.PutAsJsonAsync($"emulator/faults/{deployment}", fault);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearAsync(string deployment)
    {
        using var response = await Stack.Emulator.Control.DeleteAsync($"emulator/faults/{deployment}");
        response.EnsureSuccessStatusCode();
    }

    public async Task<List<DateTimeOffset>> UpstreamRequestTimesAsync(string deployment)
    {
        var log = await Stack.Emulator.Control.GetFromJsonAsync<JsonElement>($"emulator/requests?deployment={deployment}");
        var requests = log.ValueKind == JsonValueKind.Array ? log : log.GetProperty("requests");
        return requests.EnumerateArray().Select(r => r.GetProperty("timestamp").GetDateTimeOffset()).ToList();
    }
}
