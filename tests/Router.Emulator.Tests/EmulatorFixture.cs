namespace Router.Emulator.Tests;

/// <summary>One emulator per test class, latency off; tests use their own deployment names to stay independent.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private RunningEmulator? _emulator;

    public RunningEmulator Emulator => _emulator ?? throw new InvalidOperationException("Fixture not started.");

    public async Task InitializeAsync() => _emulator = await RunningEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}
