using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>
/// Real Azurite (node_modules/.bin from the committed lock file) on free ports, in memory: the
/// Table service, and the Blob service too when asked (its own process and port, a BlobEndpoint in
/// <see cref="ConnectionString"/>). Each process is a <see cref="ServerProcess"/>: readiness waits
/// that scale, killed when not ready, killed when the test process ends for any reason.
/// Integration tests fail, never skip, when it cannot start.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly int? _ownerProcessId;
    private ServerProcess? _table;
    private ServerProcess? _blob;

    private AzuriteServer(int port, int? blobPort, int? ownerProcessId)
    {
        Port = port;
        BlobPort = blobPort;
        _ownerProcessId = ownerProcessId;
    }

    /// <summary>The Table service's port.</summary>
    public int Port { get; }

    /// <summary>The Blob service's port, when started with blob: true.</summary>
    public int? BlobPort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;"
        + (BlobPort is { } blobPort ? $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" : string.Empty);

    /// <summary>The Table service's process id (for tests that signal it); null while stopped.</summary>
    public int? TableProcessId => _table?.Id;

    /// <summary>The Blob service's process id; null when not started with blob: true or stopped.</summary>
    public int? BlobProcessId => _blob?.Id;

    /// <summary>The Table service's /proc state letter (T while frozen), null while stopped.</summary>
    public char? TableState => _table?.State;

    /// <summary>Starts the Table service (and the Blob service when <paramref name="blob"/>).</summary>
    /// <param name="port">The Table port; a free one when null.</param>
    /// <param name="blob">Also start azurite-blob on a free port of its own.</param>
    /// <param name="ownerProcessId">The process whose end kills Azurite: this test process unless a test proves the watchdog.</param>
    public static async Task<AzuriteServer> StartAsync(int? port = null, bool blob = false, int? ownerProcessId = null)
    {
        var server = new AzuriteServer(port ?? FreePort.Next(), blob ? FreePort.Next() : null, ownerProcessId);
        try
        {
            await server.StartProcessesAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server (data is lost: it runs in memory) to simulate a storage outage.</summary>
    public async Task StopAsync()
    {
        if (_table is not null)
        {
            await _table.DisposeAsync();
            _table = null;
        }

        if (_blob is not null)
        {
            await _blob.DisposeAsync();
            _blob = null;
        }
    }

    /// <summary>Starts again on the same ports, so clients configured with them reconnect.</summary>
    public Task RestartAsync() => StartProcessesAsync();

    /// <summary>
    /// SIGSTOP on every Azurite process: connections stay open and nothing answers, like a hung
    /// storage account or a half-open connection. <see cref="ThawAsync"/> resumes them with their data.
    /// </summary>
    public async Task FreezeAsync()
    {
        await Running(_table).FreezeAsync();
        if (_blob is not null)
        {
            await _blob.FreezeAsync();
        }
    }

    /// <summary>SIGCONT: a frozen Azurite carries on, data intact.</summary>
    public async Task ThawAsync()
    {
        await Running(_table).ThawAsync();
        if (_blob is not null)
        {
            await _blob.ThawAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static ServerProcess Running(ServerProcess? process) =>
        process ?? throw new InvalidOperationException("Azurite is stopped.");

    private async Task StartProcessesAsync()
    {
        _table ??= await StartServiceAsync("azurite-table", "--tableHost", "--tablePort", Port);
        if (BlobPort is { } blobPort)
        {
            _blob ??= await StartServiceAsync("azurite-blob", "--blobHost", "--blobPort", blobPort);
        }
    }

    private Task<ServerProcess> StartServiceAsync(string binary, string hostOption, string portOption, int port)
    {
        var executable = Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", binary);
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}. Run scripts/install.sh (npm ci) first.");
        }

        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { hostOption, "127.0.0.1", portOption, port.ToString(CultureInfo.InvariantCulture), "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent" },
        };
        return ServerProcess.StartAsync($"Azurite ({binary}, port {port})", start, token => ListensAsync(port, token), _ownerProcessId);
    }

    private static async Task<bool> ListensAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken);
        return true;
    }
}
