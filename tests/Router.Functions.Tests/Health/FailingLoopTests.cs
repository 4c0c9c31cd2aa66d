using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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

    private static async Task<JsonElement> SpendLoopAsync(RouterServer router)
    {
        var body = await router.Http.GetFromJsonAsync<JsonElement>("api/health");
        return body.GetProperty("loops").EnumerateArray().Single(l => l.GetProperty("name").GetString() == ClientSpendTracker.LoopName);
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
