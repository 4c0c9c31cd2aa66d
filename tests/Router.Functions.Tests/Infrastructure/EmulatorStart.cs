using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Router.Emulator;
using Router.Emulator.Options;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>
/// Starts the emulator in-process on real Kestrel at a free port (it ends with the test process).
/// One place for both test projects (linked into Router.Emulator.Tests): a start slower than the
/// scaled readiness timeout fails naming the setting to raise, after the half-started app is disposed.
/// </summary>
public static class EmulatorStart
{
    public static async Task<(WebApplication App, Uri Address)> StartAsync(IEnumerable<string> extraArgs, Action<EmulatorOptions> configure)
    {
        string[] args = ["--urls", "http://127.0.0.1:0", .. extraArgs];
        var app = EmulatorApp.Build(args, configure);
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
        return (app, new Uri(address.TrimEnd('/') + "/"));
    }
}
