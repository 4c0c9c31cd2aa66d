using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Security;
using Router.Functions.Hosting;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>The router in standalone mode on real Kestrel (a free port), configured like run-local.sh.</summary>
public sealed class RouterServer : IAsyncDisposable
{
    public const string CallerKey = "test-caller-key";
    public const string OtherCallerKey = "test-other-caller-key";
    public const string AdminKey = "test-admin-key";

    private RouterServer(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        #pragma warning disable RS0030 // A test's own client to a local test server, owned and disposed with it: not one per call, no DNS to refresh.
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        #pragma warning restore RS0030
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Settings a test router uses: the given Azurite and emulator, three clients, zero-wait ledger flushes.</summary>
    public static Dictionary<string, string?> DefaultSettings(string storageConnection, Uri emulator) => new()
    {
        ["Router:Storage:ConnectionString"] = storageConnection,
        ["Router:Models:large:Endpoint"] = emulator.ToString(),
        ["Router:Models:small:Endpoint"] = emulator.ToString(),
        ["Router:Models:large:ApiKey"] = EmulatorServer.ApiKey,
        ["Router:Models:small:ApiKey"] = EmulatorServer.ApiKey,
        ["Router:Models:mini:Endpoint"] = emulator.ToString(),
        ["Router:Models:mini:ApiKey"] = EmulatorServer.ApiKey,
        // Shadow calls add upstream calls and ledger rows; the shadow tests turn them on.
        ["Router:Shadow:Enabled"] = "false",
        // The shipped catalog serves ticket-triage on large and captures every answer, so a local run starts the
        // distillation loop (docs/promotion.md); the tests keep it on the small route (cascades, label checks,
        // streamed small answers) with a tenth captured, as the suite was written for.
        ["Router:Tasks:ticket-triage:Route"] = "small",
        ["Router:Tasks:ticket-triage:CaptureRate"] = "0.1",
        // Compaction changes which rows readers read; the compaction tests turn it on and run it themselves.
        ["Router:Ledger:Compaction:Enabled"] = "false",
        ["Router:Auth:Clients:0:Name"] = "caller-a",
        ["Router:Auth:Clients:0:KeySha256"] = ClientAuthenticator.HashKey(CallerKey),
        ["Router:Auth:Clients:0:Roles:0"] = "caller",
        ["Router:Auth:Clients:1:Name"] = "caller-b",
        ["Router:Auth:Clients:1:KeySha256"] = ClientAuthenticator.HashKey(OtherCallerKey),
        ["Router:Auth:Clients:1:Roles:0"] = "caller",
        ["Router:Auth:Clients:2:Name"] = "ops",
        ["Router:Auth:Clients:2:KeySha256"] = ClientAuthenticator.HashKey(AdminKey),
        ["Router:Auth:Clients:2:Roles:0"] = "caller",
        ["Router:Auth:Clients:2:Roles:1"] = "admin",
        ["Router:Ledger:FlushInterval"] = "00:00:00.050",
        ["Router:Resilience:RetryBaseDelay"] = "00:00:00.050",
        // A journal folder per router: a journal left by one test is never replayed into another's tables.
        ["Router:Ledger:Journal:Folder"] = Path.Combine(Path.GetTempPath(), "router-test-journal", Guid.NewGuid().ToString("N")),
    };

    /// <param name="environment">The hosting environment (default Production); "Development" is how run-local.sh runs.</param>
    public static async Task<RouterServer> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null, string? environment = null)
    {
        var app = StandaloneHost.Build(environment is null ? ["--urls", "http://127.0.0.1:0"] : ["--urls", "http://127.0.0.1:0", "--environment", environment], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RouterServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public HttpClient CreateClient(string? key)
    {
        #pragma warning disable RS0030 // A test's own client to a local test server, owned and disposed with it: not one per call, no DNS to refresh.
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        #pragma warning restore RS0030
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
