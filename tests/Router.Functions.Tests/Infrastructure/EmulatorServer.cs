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
        Control = new HttpClient { BaseAddress = address };
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    /// <summary>For the emulator's control API (/emulator/faults, /emulator/requests).</summary>
    public HttpClient Control { get; }

    public static async Task<EmulatorServer> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var app = EmulatorApp.Build(["--urls", "http://127.0.0.1:0"], options =>
        {
            options.LatencyScale = 0;
            configure?.Invoke(options);
        });
        // In-process (it dies with the test process); a start slower than the scaled readiness
        // timeout fails with the setting to raise, and the half-started app is disposed first.
        using (var deadline = new CancellationTokenSource(ReadyTimeout.Value))
        {
            try
            {
                await app.StartAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                await app.DisposeAsync();
                throw new InvalidOperationException($"The emulator did not start within {ReadyTimeout.Value.TotalSeconds:0} s (set {ReadyTimeout.EnvironmentVariable} to wait longer).");
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
