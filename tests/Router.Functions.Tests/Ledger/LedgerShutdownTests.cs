using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

[Collection(SharedServersDefinition.Name)]
public sealed class LedgerShutdownTests(SharedServers stack)
{
    [Fact]
    public async Task StopAsync_RecordsStillQueued_AreAllWrittenBeforeTheHostStops()
    {
        const int N = 40;
        await using var azurite = await AzuriteServer.StartAsync();
        var settings = RouterServer.DefaultSettings(azurite.ConnectionString, stack.Emulator.Address);
        settings["Router:Ledger:FlushInterval"] = "00:00:30"; // nothing is written before the stop
        settings["Router:Ledger:RollupFlushInterval"] = "00:05:00";
        var router = await RouterServer.StartAsync(settings);
        List<string> callIds;
        try
        {
            callIds = await LedgerCalls.RouteAsync(router, N);
            Assert.Empty(await new LedgerReader(azurite.ConnectionString).AllAsync());
        }
        finally
        {
            await router.DisposeAsync();
        }

        var rows = await new LedgerReader(azurite.ConnectionString).AllAsync();
        Assert.Equal(callIds.Order(), rows.Select(r => r.CallId).Order());
        Assert.Equal(N, (await new RollupReader(azurite.ConnectionString).AllAsync()).Sum(r => r.Calls));
    }
}
