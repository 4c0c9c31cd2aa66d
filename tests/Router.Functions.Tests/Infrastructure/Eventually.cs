namespace Router.Functions.Tests.Infrastructure;

/// <summary>Waiting for a condition instead of sleeping: polls every 25 ms, fails naming what never happened.</summary>
internal static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds, at most <paramref name="timeout"/> (default: the scaled readiness wait).</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? ReadyTimeout.Value);
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Did not happen in time: {what}.");
            await Task.Delay(25);
        }
    }
}
