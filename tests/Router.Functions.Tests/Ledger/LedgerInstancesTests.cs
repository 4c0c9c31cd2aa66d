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

    /// <summary>
    /// An instance with a configured name that restarts (a pod, a VM) continues its stored hour rows:
    /// the calls before the restart are not overwritten by the new process's own, smaller totals.
    /// </summary>
    [Fact]
    public async Task Route_ConfiguredInstanceRestartsWithinTheHour_RollupsKeepTheCallsOfBothProcesses()
    {
        const int Before = 12, After = 7;
        await using var azurite = await AzuriteServer.StartAsync();
        var settings = RouterServer.DefaultSettings(azurite.ConnectionString, stack.Emulator.Address);
        settings["Router:Ledger:InstanceId"] = "pinned1";
        settings["Router:Ledger:RollupFlushInterval"] = "00:00:00.100";

        var served = new List<string>();
        await using (var first = await RouterServer.StartAsync(settings))
        {
            served.AddRange(await LedgerCalls.RouteAsync(first, Before));
            await first.DrainAsync();
        }

        await new RollupReader(azurite.ConnectionString).WaitForCallsAsync(Before);
        await using (var second = await RouterServer.StartAsync(settings))
        {
            served.AddRange(await LedgerCalls.RouteAsync(second, After));
            await second.DrainAsync();
        }

        var rollups = await new RollupReader(azurite.ConnectionString).WaitForCallsAsync(Before + After);
        var rows = await new LedgerReader(azurite.ConnectionString).AllAsync();
        Assert.Equal(served.Order(), rows.Select(r => r.CallId).Order());
        Assert.Equal(Before + After, rollups.Where(r => r.Instance == "pinned1").Sum(r => r.Calls));
        Assert.Equal(rows.Sum(r => Router.Core.Ledger.CallRecordEntity.NanoUsd(r.CostUsd)), rollups.Sum(r => r.CostNanoUsd));
    }
}
