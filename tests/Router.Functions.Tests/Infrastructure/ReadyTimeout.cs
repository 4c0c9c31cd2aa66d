using System.Globalization;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>
/// How long a test server (Azurite, the emulator, the Aspire dashboard) may take to become ready:
/// 120 s by default, ROUTER_TEST_READY_TIMEOUT_SECONDS to change it. Generous because a loaded CI
/// machine starts node and Kestrel slowly; a server that is ready early is used at once.
/// </summary>
public static class ReadyTimeout
{
    public const string EnvironmentVariable = "ROUTER_TEST_READY_TIMEOUT_SECONDS";

    public static TimeSpan Value { get; } = Read(Environment.GetEnvironmentVariable(EnvironmentVariable));

    internal static TimeSpan Read(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? TimeSpan.FromSeconds(120)
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : throw new InvalidOperationException($"{EnvironmentVariable} must be a positive number of seconds, not '{text}'.");
}
