using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

[Collection(SharedServersDefinition.Name)]
public sealed class LedgerAmbiguousFailureTests(SharedServers stack)
{
    [Fact]
    public async Task WriteCalls_BatchCommittedButResponseLost_RetryLeavesNoDuplicateRows()
    {
        const int N = 30;
        await using var azurite = await AzuriteServer.StartAsync();
        var dropper = new DropFirstBatchResponse();
        await using var router = await FaultyStorageRouter.StartAsync(azurite, stack.Emulator.Address, dropper, settings =>
        {
            settings["Router:Ledger:FlushInterval"] = "00:00:00.300"; // one cycle holds all N: one partition batch per shard
            settings["Router:Ledger:ShardCount"] = "1";
            settings["Router:Ledger:RetryBaseDelay"] = "00:00:00.050";
            settings["Router:Ledger:RollupFlushInterval"] = "00:00:00.100";
        });

        var callIds = await LedgerCalls.RouteAsync(router, N);
        await router.DrainAsync();

        Assert.Equal(1, dropper.Dropped);
        var rows = await new LedgerReader(azurite.ConnectionString).AllAsync();
        Assert.Equal(callIds.Order(), rows.Select(r => r.CallId).Order());
        var rollups = await new RollupReader(azurite.ConnectionString).WaitForCallsAsync(N);
        Assert.Equal(N, rollups.Sum(r => r.Calls));
        Assert.Equal(N, router.Services.GetRequiredService<ICallLedger>().Written);
    }

    /// <summary>Lets the first entity-group transaction reach the server and commit, then loses its answer, as a dropped connection would.</summary>
    private sealed class DropFirstBatchResponse : HttpPipelinePolicy
    {
        private int _dropped;

        public int Dropped => _dropped;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ProcessNext(message, pipeline);
            ThrowIfFirstBatch(message);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            ThrowIfFirstBatch(message);
        }

        private void ThrowIfFirstBatch(HttpMessage message)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && message.Response.Status == 202 && Interlocked.Exchange(ref _dropped, 1) == 0)
            {
                throw new IOException("Connection reset after the batch was committed (injected).");
            }
        }
    }
}
