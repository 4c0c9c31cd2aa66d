using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Hosting;
using Router.Core.Classifier;
using Router.Core.Security;
using Router.Functions.Tests.Infrastructure;
using Router.Functions.Tests.Ledger;

namespace Router.Functions.Tests.Health;

/// <summary>
/// A bug in one background loop (here the budget's spend refresh, whose source throws on every
/// read) degrades health and names the loop; it never stops the host or the calls. The loop keeps
/// being restarted, so it heals by itself once the bug's cause is gone.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class FailingLoopTests(SharedServers stack)
{
    [Fact]
    public async Task SpendRefresh_ThrowsEveryTime_CallsServedHealthNamesTheLoopAndItKeepsRetrying()
    {
        var source = new ThrowingSpendSource();
        var settings = stack.Settings;
        settings["Router:Auth:Clients:0:DailyBudgetUsd"] = "1000";
        settings["Router:Auth:SpendRefreshInterval"] = "00:00:01";
        await using var router = await RouterServer.StartAsync(settings, services => services.AddSingleton<ISpendSource>(source));

        // Several failures in a row: the loop was restarted after each (its backoff starts at 0.2 s).
        var deadline = TimeProvider.System.GetUtcNow() + ReadyTimeout.Value;
        JsonElement loop;
        while ((loop = await SpendLoopAsync(router)).GetProperty("consecutiveFailures").GetInt64() < 3)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"the spend refresh failed only {loop.GetProperty("consecutiveFailures")} times");
            await Task.Delay(100);
        }

        var callIds = await LedgerCalls.RouteAsync(router, 5);

        using var health = await router.Http.GetAsync("api/health");
        var body = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Contains(ClientSpendTracker.LoopName, body.GetProperty("failingLoops").EnumerateArray().Select(l => l.GetString()));
        Assert.Contains(body.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains($"background loop {ClientSpendTracker.LoopName} failing", StringComparison.Ordinal));
        Assert.Equal(nameof(InvalidOperationException), loop.GetProperty("lastError").GetString());
        Assert.True(source.Reads >= 3, $"the source was read {source.Reads} times");
        Assert.Equal(5, callIds.Distinct().Count());
        Assert.False(router.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task ClassifierRefresh_BlobStorageUnreachable_HealthNamesTheLoopAndCallsAreServed()
    {
        // Nothing listens on this port: every read of a classifier's pointer fails.
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(2);
        var unreachable = new BlobServiceClient(new Uri($"http://127.0.0.1:{FreePort.Next()}/devstoreaccount1"), options);
        var settings = stack.Settings;
        settings["Router:LocalClassifier:RefreshInterval"] = "00:00:00.200";
        await using var router = await RouterServer.StartAsync(settings, services => services.AddSingleton(unreachable));

        var deadline = TimeProvider.System.GetUtcNow() + ReadyTimeout.Value;
        JsonElement loop;
        while ((loop = await LoopAsync(router, ClassifierRefresher.LoopName)).GetProperty("consecutiveFailures").GetInt64() < 2)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"the classifier refresh failed only {loop.GetProperty("consecutiveFailures")} times");
            await Task.Delay(100);
        }

        var callIds = await LedgerCalls.RouteAsync(router, 3);

        var body = await router.Http.GetFromJsonAsync<JsonElement>("api/health");
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Contains(ClassifierRefresher.LoopName, body.GetProperty("failingLoops").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("failing", loop.GetProperty("status").GetString());
        Assert.Equal(0, loop.GetProperty("restarts").GetInt64()); // a failed pass is retried by the loop itself, not by a restart
        Assert.Equal(3, callIds.Distinct().Count());
    }

    private static Task<JsonElement> SpendLoopAsync(RouterServer router) => LoopAsync(router, ClientSpendTracker.LoopName);

    private static async Task<JsonElement> LoopAsync(RouterServer router, string name)
    {
        var body = await router.Http.GetFromJsonAsync<JsonElement>("api/health");
        return body.GetProperty("loops").EnumerateArray().Single(l => l.GetProperty("name").GetString() == name);
    }

    /// <summary>A planted bug: every read throws, as a null reference or a bad cast in real code would.</summary>
    private sealed class ThrowingSpendSource : ISpendSource
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public Task<OtherSpend> OtherInstancesSpendAsync(DateOnly day, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            throw new InvalidOperationException("planted bug in the spend source");
        }
    }
}
