using System.Diagnostics;
using System.Globalization;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>The test servers' lifecycle rules: scaled readiness, killed when not ready, killed when their owner dies, freeze/thaw.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task StartAsync_OwnerProcessSigkilled_WatchdogKillsTableAndBlobAzurite()
    {
        // The owner stands in for the test host: SIGKILL gives it no chance to dispose anything,
        // exactly like a test host killed from outside. Only the watchdog can clean up.
        using var owner = Process.Start(new ProcessStartInfo("sleep", ["600"]) { UseShellExecute = false, RedirectStandardInput = true })!;
        await using var azurite = await AzuriteServer.StartAsync(blob: true, ownerProcessId: owner.Id);
        var table = azurite.TableProcessId!.Value;
        var blob = azurite.BlobProcessId!.Value;
        Assert.True(ServerProcess.IsAlive(table));
        Assert.True(ServerProcess.IsAlive(blob));

        owner.Kill();
        await owner.WaitForExitAsync();

        await WaitUntilAsync(() => !ServerProcess.IsAlive(table) && !ServerProcess.IsAlive(blob));
    }

    [Fact]
    public async Task StartAsync_OwnerAlive_ServerKeepsRunning()
    {
        using var owner = Process.Start(new ProcessStartInfo("sleep", ["600"]) { UseShellExecute = false, RedirectStandardInput = true })!;
        try
        {
            await using var azurite = await AzuriteServer.StartAsync(ownerProcessId: owner.Id);

            // Several watchdog rounds (one a second) pass: a live owner never gets its server killed.
            await Task.Delay(TimeSpan.FromSeconds(3));

            Assert.True(ServerProcess.IsAlive(azurite.TableProcessId!.Value));
        }
        finally
        {
            owner.Kill();
        }
    }

    [Fact]
    public async Task StartAsync_NeverReady_KillsProcessThenThrowsNamingTheSetting()
    {
        var start = new ProcessStartInfo("sleep", ["600"]);

        var error = await Assert.ThrowsAsync<ServerNotReadyException>(() =>
            ServerProcess.StartAsync("never-ready", start, _ => Task.FromResult(false), readyTimeout: TimeSpan.FromSeconds(1)));

        Assert.Contains(ReadyTimeout.EnvironmentVariable, error.Message, StringComparison.Ordinal);
        Assert.Contains("never-ready", error.Message, StringComparison.Ordinal);
        Assert.False(ServerProcess.IsAlive(error.ProcessId));
    }

    [Fact]
    public async Task StartAsync_ExitsWhileStarting_ThrowsWithItsOutput()
    {
        var start = new ProcessStartInfo("sh", ["-c", "echo no-such-port >&2; exit 3"]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ServerProcess.StartAsync("exits", start, _ => Task.FromResult(false)));

        Assert.Contains("code 3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 120)]
    [InlineData("", 120)]
    [InlineData("300", 300)]
    [InlineData("2.5", 2.5)]
    public void Read_Setting_GivesSeconds(string? text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ReadyTimeout.Read(text));

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    public void Read_BadSetting_ThrowsNamingTheVariable(string text)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ReadyTimeout.Read(text));
        Assert.Contains(ReadyTimeout.EnvironmentVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FreezeAsync_ThenThaw_AzuriteAnswersNothingThenAnswersAgain()
    {
        await using var azurite = await AzuriteServer.StartAsync(blob: true);
        #pragma warning disable RS0030 // A test's own client to a local test server, owned and disposed with it: not one per call, no DNS to refresh.
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        #pragma warning restore RS0030
        var tables = new Uri($"http://127.0.0.1:{azurite.Port}/devstoreaccount1/Tables");

        await azurite.FreezeAsync();
        Assert.Equal('T', azurite.TableState);
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.GetAsync(tables, wait.Token));
        }

        await azurite.ThawAsync();
        using var answer = await http.GetAsync(tables, new CancellationTokenSource(ReadyTimeout.Value).Token);
        Assert.NotNull(answer.Headers.Server);
    }

    [Fact]
    public async Task StartAsync_Blob_ConnectionStringNamesAnAnsweringBlobEndpoint()
    {
        await using var azurite = await AzuriteServer.StartAsync(blob: true);
        var blobEndpoint = azurite.ConnectionString.Split(';').Single(p => p.StartsWith("BlobEndpoint=", StringComparison.Ordinal))["BlobEndpoint=".Length..];
        #pragma warning disable RS0030 // A test's own client to a local test server, owned and disposed with it: not one per call, no DNS to refresh.
        using var http = new HttpClient { Timeout = ReadyTimeout.Value };
        #pragma warning restore RS0030

        using var answer = await http.GetAsync(new Uri(blobEndpoint + "?comp=list"));

        Assert.Contains(answer.Headers.Server, p => p.Product?.Name.StartsWith("Azurite-Blob", StringComparison.Ordinal) == true);
        Assert.Equal(azurite.BlobPort!.Value.ToString(CultureInfo.InvariantCulture), new Uri(blobEndpoint).Port.ToString(CultureInfo.InvariantCulture));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < ReadyTimeout.Value, "condition not met within " + ReadyTimeout.Value);
            await Task.Delay(100);
        }
    }
}
