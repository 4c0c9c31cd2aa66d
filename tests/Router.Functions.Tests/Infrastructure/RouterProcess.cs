using System.Diagnostics;
using System.Globalization;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>
/// The router as a process of its own (the built Router.Functions.dll in standalone mode, settings
/// as environment variables), for what an in-process server cannot show: a SIGKILL.
/// </summary>
public sealed class RouterProcess : IAsyncDisposable
{
    private readonly ServerProcess _server;

    private RouterProcess(ServerProcess server, Uri address)
    {
        _server = server;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<RouterProcess> StartAsync(IDictionary<string, string?> settings)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "src", "Router.Functions", "bin", "Release", "net10.0");
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder };
        start.ArgumentList.Add(Path.Combine(folder, "Router.Functions.dll"));
        start.ArgumentList.Add("--standalone");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
        #pragma warning disable RS0030 // One client for the readiness probe of one test server, disposed with it.
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        #pragma warning restore RS0030
        var server = await ServerProcess.StartAsync($"Router process (port {port})", start, async token =>
        {
            using var response = await probe.GetAsync("api/health", token);
            return true;
        });
        return new RouterProcess(server, address);
    }

    public HttpClient CreateClient(string? key)
    {
        #pragma warning disable RS0030 // A test's own client to a local test server, owned and disposed by the test.
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        #pragma warning restore RS0030
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>SIGKILL: the process ends at once, with whatever it had in memory.</summary>
    public Task KillAsync() => _server.KillAsync();

    public string Output => _server.Output;

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
