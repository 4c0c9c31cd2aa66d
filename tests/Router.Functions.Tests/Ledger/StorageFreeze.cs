using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

/// <summary>
/// A router on its own Azurite (so freezing it stalls no other test) and its own emulator, with a
/// client budget configured: the spend refresh then reads storage every second even with no traffic,
/// which is how a 60 s hang used to stop an idle router. The freeze is SIGSTOP on Azurite: connections
/// stay open and nothing answers, so every storage call waits out the Table client's 30 s network timeout.
/// </summary>
internal sealed class StorageFreeze : IAsyncDisposable
{
    /// <summary>Twice the Table client's network timeout: every background loop sees at least one timeout.</summary>
    public static readonly TimeSpan FreezeFor = TimeSpan.FromSeconds(60);

    private StorageFreeze(AzuriteServer azurite, EmulatorServer emulator, RouterServer router)
    {
        Azurite = azurite;
        Emulator = emulator;
        Router = router;
    }

    public AzuriteServer Azurite { get; }

    public EmulatorServer Emulator { get; }

    public RouterServer Router { get; }

    public bool HostStopping => Router.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested;

    public static async Task<StorageFreeze> StartAsync()
    {
        // Blob too: the sample catalog's local classifier is refreshed from it, and that loop must recover with the rest.
        var azurite = await AzuriteServer.StartAsync(blob: true);
        var emulator = await EmulatorServer.StartAsync();
        var settings = RouterServer.DefaultSettings(azurite.ConnectionString, emulator.Address);
        settings["Router:Auth:Clients:0:DailyBudgetUsd"] = "1000";
        settings["Router:Auth:SpendRefreshInterval"] = "00:00:01";
        settings["Router:Ledger:RetryMaxDelay"] = "00:00:02";
        settings["Router:Ledger:RollupFlushInterval"] = "00:00:01";
        var router = await RouterServer.StartAsync(settings);
        return new StorageFreeze(azurite, emulator, router);
    }

    public async Task<JsonElement> HealthAsync()
    {
        using var response = await Router.Http.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Polls health until <paramref name="condition"/> holds or <paramref name="until"/> passes; returns whether it held.</summary>
    public async Task<bool> HealthBecomesAsync(Func<JsonElement, bool> condition, DateTimeOffset until)
    {
        while (TimeProvider.System.GetUtcNow() < until)
        {
            if (condition(await HealthAsync()))
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }

    public static bool NamesFailing(JsonElement health, string loop) =>
        health.GetProperty("failingLoops").EnumerateArray().Any(l => l.GetString() == loop);

    public static async Task<string> CallAsync(HttpClient http, int i)
    {
        var task = i % 2 == 0 ? "ticket-triage" : "summarize";
        using var response = await http.PostAsJsonAsync("api/route", new { task, input = $"Message {i}: my invoice was charged twice this month, please help." });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("callId").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        // Thawed first, whatever the test did, so the router's final flush and Azurite's stop do not hang.
        if (Azurite.TableState == 'T')
        {
            await Azurite.ThawAsync();
        }

        await Router.DisposeAsync();
        await Emulator.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
