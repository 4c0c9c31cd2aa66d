using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Router.Emulator;
using Router.Emulator.Options;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>The model emulator on real Kestrel (a free port), latency off unless a test asks for it.</summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    public const string ApiKey = "emulator-key";

    private EmulatorServer(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        #pragma warning disable RS0030 // A test's own client to a local test server, owned and disposed with it: not one per call, no DNS to refresh.
        Control = new HttpClient { BaseAddress = address };
        #pragma warning restore RS0030
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    /// <summary>For the emulator's control API (/emulator/faults, /emulator/requests).</summary>
    public HttpClient Control { get; }

    public static async Task<EmulatorServer> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var (app, address) = await EmulatorStart.StartAsync([], options =>
        {
            options.LatencyScale = 0;
            configure?.Invoke(options);
        });
        return new EmulatorServer(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
