using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

[Collection(SharedServersDefinition.Name)]
public sealed class LedgerRejectedBatchTests(SharedServers stack)
{
    [Fact]
    public async Task WriteCalls_StorageRefusesABatch_RecordsCountedAsRejectedAndWriterGoesOn()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var refuser = new RefuseFirstBatch();
        await using var router = await FaultyStorageRouter.StartAsync(azurite, stack.Emulator.Address, refuser, settings => settings["Router:Ledger:ShardCount"] = "1");
        var ledger = router.Services.GetRequiredService<ICallLedger>();

        var first = await LedgerCalls.RouteAsync(router, 1);
        await router.DrainAsync();
        var later = await LedgerCalls.RouteAsync(router, 5);
        await router.DrainAsync();

        Assert.Equal((1L, 5L), (ledger.Rejected, ledger.Written));
        var rows = await new LedgerReader(azurite.ConnectionString).AllAsync();
        Assert.Equal(later.Order(), rows.Select(r => r.CallId).Order());
        Assert.DoesNotContain(first[0], rows.Select(r => r.CallId));
    }

    /// <summary>Answers the first entity-group transaction with a non-transient 400, as storage does for an entity it will never accept.</summary>
    private sealed class RefuseFirstBatch : HttpPipelinePolicy
    {
        private int _refused;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ThrowIfFirstBatch(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ThrowIfFirstBatch(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void ThrowIfFirstBatch(HttpMessage message)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && Interlocked.Exchange(ref _refused, 1) == 0)
            {
                throw new RequestFailedException(400, "The property value exceeds the maximum allowed size (injected).", "PropertyValueTooLarge", null);
            }
        }
    }
}
