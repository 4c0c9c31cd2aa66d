namespace Router.Functions.Tests.Infrastructure;

/// <summary>
/// One Azurite, one emulator and one router for the whole test run (an xunit collection
/// fixture): servers start once, not once per test. Tests that need their own router
/// (other settings, outages) start one against the shared Azurite and emulator.
/// </summary>
public sealed class SharedServers : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;

    public EmulatorServer Emulator { get; private set; } = null!;

    public RouterServer Router { get; private set; } = null!;

    public Dictionary<string, string?> Settings => RouterServer.DefaultSettings(Azurite.ConnectionString, Emulator.Address);

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartAsync();
        Emulator = await EmulatorServer.StartAsync();
        Router = await RouterServer.StartAsync(Settings);
    }

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await Emulator.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedServersDefinition : ICollectionFixture<SharedServers>
{
    public const string Name = "shared-servers";
}
