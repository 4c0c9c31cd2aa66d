using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

[Collection(SharedServersDefinition.Name)]
public sealed class LedgerInstancesTests(SharedServers stack)
{
    [Fact]
    public async Task Route_ThreeInstancesOneStorage_RollupsSumToCallsServedWithoutDuplicateRows()
    {
        const int PerInstance = 30;
        await using var azurite = await AzuriteServer.StartAsync();
        var routers = new List<RouterServer>();
        try
        {
            foreach (var instance in new[] { "i1", "i2", "i3" })
            {
                var settings = RouterServer.DefaultSettings(azurite.ConnectionString, stack.Emulator.Address);
                settings["Router:Ledger:InstanceId"] = instance;
                settings["Router:Ledger:RollupFlushInterval"] = "00:00:00.100";
                routers.Add(await RouterServer.StartAsync(settings));
            }

            var served = (await Task.WhenAll(routers.Select(r => LedgerCalls.RouteAsync(r, PerInstance)))).SelectMany(ids => ids).ToList();
            foreach (var router in routers)
            {
                await router.DrainAsync();
            }

            var rollups = await new RollupReader(azurite.ConnectionString).WaitForCallsAsync(served.Count);
            var rows = await new LedgerReader(azurite.ConnectionString).AllAsync();
            Assert.Equal(3 * PerInstance, served.Count);
            Assert.Equal(served.Order(), rows.Select(r => r.CallId).Order());
            Assert.Equal(served.Count, rollups.Sum(r => r.Calls));
            Assert.Equal(["i1", "i2", "i3"], rollups.Select(r => r.Instance).Distinct().Order());
            Assert.All(rollups.GroupBy(r => r.Instance), g => Assert.Equal(PerInstance, g.Sum(r => r.Calls)));
        }
        finally
        {
            foreach (var router in routers)
            {
                await router.DisposeAsync();
            }
        }
    }
}
