using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;
using Router.Functions.Tests.Ledger;

namespace Router.Functions.Tests.Health;

/// <summary>
/// /api/health while Table Storage hangs: every storage request hangs past the health probe's
/// deadline, ignoring its cancellation (a half-open connection), and then fails as the Table
/// client's network timeout does. Health must answer within its own deadline anyway, say degraded
/// with the backlog, and name the ledger writer once it is failing. Own Azurite (a fault policy in front).
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class HealthDuringStorageHangTests(SharedServers stack)
{
    /// <summary>Longer than the probe's 3 s deadline, so the probe must be abandoned, not awaited.</summary>
    private static readonly TimeSpan HangFor = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Health_StorageHangs_AnswersWithinItsDeadlineDegradedWithBacklogAndFailingLoop()
    {
        const int N = 12;
        await using var azurite = await AzuriteServer.StartAsync();
        var hang = new HangRequests(HangFor);
        await using var router = await FaultyStorageRouter.StartAsync(azurite, stack.Emulator.Address, hang, settings =>
        {
            settings["Router:Ledger:RetryBaseDelay"] = "00:00:00.050";
            settings["Router:Ledger:RetryMaxDelay"] = "00:00:00.200";
            settings["Router:Ledger:ShutdownFlushTimeout"] = "00:00:02";
        });

        var callIds = await LedgerCalls.RouteAsync(router, N);
        var first = await HealthAsync(router);

        Assert.Equal("degraded", first.Body.GetProperty("status").GetString());
        var storage = first.Body.GetProperty("storage");
        Assert.Equal(("unhealthy", "no answer within 3 s"), (storage.GetProperty("status").GetString(), storage.GetProperty("error").GetString()));
        Assert.Equal(N, first.Body.GetProperty("ledger").GetProperty("queueDepth").GetInt32());
        Assert.True(first.Body.GetProperty("ledger").GetProperty("oldestPendingSeconds").GetDouble() > 0);
        Assert.Contains("table-storage: no answer within 3 s", first.Body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        // Within the probe's deadline plus overhead; without the bound it would wait out the whole hang (8 s) or forever.
        Assert.True(first.Elapsed < HangFor, $"health took {first.Elapsed}");

        // Once a storage request has failed (the hang ends as a network timeout), health names the failing loop.
        var deadline = TimeProvider.System.GetUtcNow() + ReadyTimeout.Value;
        JsonElement named;
        while (!(named = (await HealthAsync(router)).Body).GetProperty("failingLoops").EnumerateArray().Any(l => l.GetString() == TableCallLedger.LoopName))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "health never named the ledger writer as failing");
            await Task.Delay(100);
        }

        Assert.Equal("degraded", named.GetProperty("status").GetString());
        var writer = named.GetProperty("loops").EnumerateArray().Single(l => l.GetProperty("name").GetString() == TableCallLedger.LoopName);
        Assert.Equal(("failing", nameof(TaskCanceledException)), (writer.GetProperty("status").GetString(), writer.GetProperty("lastError").GetString()));

        hang.Heal();
        await router.DrainAsync(TimeSpan.FromSeconds(60));
        var rows = await new LedgerReader(azurite.ConnectionString).AllAsync();
        Assert.Equal(callIds.Order(), rows.Select(r => r.CallId).Order());
        Assert.Equal(0, router.Services.GetRequiredService<ILedgerQueueStatus>().QueueDepth);
    }

    private static async Task<(JsonElement Body, TimeSpan Elapsed)> HealthAsync(RouterServer router)
    {
        var started = TimeProvider.System.GetTimestamp();
        using var response = await router.Http.GetAsync("api/health");
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(), elapsed);
    }

    /// <summary>
    /// Until <see cref="Heal"/>: each storage request hangs for <c>hangFor</c> whatever its
    /// cancellation says, then fails as the Table client's network timeout does.
    /// </summary>
    private sealed class HangRequests(TimeSpan hangFor) : HttpPipelinePolicy
    {
        private readonly TaskCompletionSource _healed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Heal() => _healed.TrySetResult();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            // The Table client calls storage asynchronously; a synchronous call fails at once, as if it had timed out.
            if (!_healed.Task.IsCompleted)
            {
                throw new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout (injected hang).");
            }

            ProcessNext(message, pipeline);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await HangAsync();
            await ProcessNextAsync(message, pipeline);
        }

        private async Task HangAsync()
        {
            if (await Task.WhenAny(Task.Delay(hangFor), _healed.Task) == _healed.Task)
            {
                return; // healed (before or while hanging): this request goes through
            }

            throw new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout (injected hang).");
        }
    }
}
