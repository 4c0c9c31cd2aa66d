using System.Net.Http.Json;
using System.Text.Json;
using Router.Core.Security;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Telemetry;

/// <summary>Settings and calls shared by the telemetry tests: a router with its own client, so its figures can be told apart.</summary>
internal static class TelemetryRouter
{
    /// <summary>The shared settings plus one more caller whose name tags only this test's calls.</summary>
    public static Dictionary<string, string?> Settings(SharedServers stack, string clientName, string clientKey)
    {
        var settings = stack.Settings;
        settings["Router:Auth:Clients:3:Name"] = clientName;
        settings["Router:Auth:Clients:3:KeySha256"] = ClientAuthenticator.HashKey(clientKey);
        settings["Router:Auth:Clients:3:Roles:0"] = "caller";
        return settings;
    }

    public static async Task<JsonElement> RouteAsync(RouterServer router, string key, string task, string input)
    {
        using var http = router.CreateClient(key);
        using var response = await http.PostAsJsonAsync("api/route", new { task, input });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
