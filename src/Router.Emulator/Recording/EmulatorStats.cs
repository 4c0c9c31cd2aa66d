using System.Collections.Concurrent;

namespace Router.Emulator.Recording;

/// <summary>Counters per deployment for <c>GET /emulator/stats</c>.</summary>
public sealed class EmulatorStats
{
    private readonly ConcurrentDictionary<string, DeploymentCounters> _byDeployment = new(StringComparer.OrdinalIgnoreCase);

    public DeploymentCounters For(string deployment) =>
        _byDeployment.TryGetValue(deployment, out var counters)
            ? counters
            : _byDeployment.GetOrAdd(deployment, static _ => new DeploymentCounters());

    public IEnumerable<KeyValuePair<string, DeploymentCounters>> All => _byDeployment;

    public void Clear() => _byDeployment.Clear();
}
