namespace Router.Functions.Tests.Infrastructure;

/// <summary>
/// One Azurite (Table and Blob services), one emulator and one router for the whole test run (an
/// xunit collection fixture): servers start once, not once per test. Tests that need their own router
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
        try
        {
            Azurite = await AzuriteServer.StartAsync(blob: true);
            Emulator = await EmulatorServer.StartAsync();
            Router = await RouterServer.StartAsync(Settings);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        // Each may be missing when InitializeAsync failed part way; what did start is still stopped.
        if (Router is not null)
        {
            await Router.DisposeAsync();
        }

        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedServersDefinition : ICollectionFixture<SharedServers>
{
    public const string Name = "shared-servers";
}
