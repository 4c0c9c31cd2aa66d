using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Router.Emulator.Options;

namespace Router.Emulator.Latency;

/// <summary>
/// Latency per deployment. Without configuration the name decides: small models ("mini",
/// "small", fine-tuned "ft") answer fast, the rest slowly, so routing between them has
/// something to gain. Everything is multiplied by <c>Emulator:LatencyScale</c>.
/// </summary>
public sealed class LatencyModel
{
    public const double FastTimeToFirstTokenMs = 40;
    public const double FastPerOutputTokenMs = 1;
    public const double SlowTimeToFirstTokenMs = 250;
    public const double SlowPerOutputTokenMs = 8;

    private readonly EmulatorOptions _options;
    private readonly ConcurrentDictionary<string, DeploymentLatency> _cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<string, DeploymentLatency> _compute;

    public LatencyModel(IOptions<EmulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _compute = Compute;
    }

    public DeploymentLatency For(string deployment) => _cache.GetOrAdd(deployment, _compute);

    public static bool IsFastByName(string deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return deployment.Contains("mini", StringComparison.OrdinalIgnoreCase)
            || deployment.Contains("small", StringComparison.OrdinalIgnoreCase)
            || deployment.Contains("ft", StringComparison.OrdinalIgnoreCase);
    }

    private DeploymentLatency Compute(string deployment)
    {
        if (_options.LatencyScale == 0)
        {
            return default;
        }

        var fast = IsFastByName(deployment);
        _options.Deployments.TryGetValue(deployment, out var configured);
        var ttft = configured?.TimeToFirstTokenMs ?? (fast ? FastTimeToFirstTokenMs : SlowTimeToFirstTokenMs);
        var perToken = configured?.PerOutputTokenMs ?? (fast ? FastPerOutputTokenMs : SlowPerOutputTokenMs);
        return new DeploymentLatency(
            TimeSpan.FromMilliseconds(ttft * _options.LatencyScale),
            TimeSpan.FromMilliseconds(perToken * _options.LatencyScale));
    }
}
