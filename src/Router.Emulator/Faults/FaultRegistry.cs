using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Router.Emulator.Options;

namespace Router.Emulator.Faults;

/// <summary>Standing faults per deployment, seeded from configuration and changed through the control API.</summary>
public sealed class FaultRegistry
{
    private readonly ConcurrentDictionary<string, ActiveFault> _faults = new(StringComparer.OrdinalIgnoreCase);

    public FaultRegistry(IOptions<EmulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (deployment, settings) in options.Value.Deployments)
        {
            // The options validator has already rejected bad specs, so TryCreate only fails on none.
            if (settings.Fault is { } spec && ActiveFault.TryCreate(spec, out var fault, out _))
            {
                _faults[deployment] = fault!;
            }
        }
    }

    public void Set(string deployment, ActiveFault fault) => _faults[deployment] = fault;

    public bool Remove(string deployment) => _faults.TryRemove(deployment, out _);

    public void Clear() => _faults.Clear();

    public IReadOnlyDictionary<string, ActiveFault> Snapshot() =>
        new Dictionary<string, ActiveFault>(_faults, StringComparer.OrdinalIgnoreCase);

    /// <summary>Takes one use of the deployment's fault, if it has one that is not spent.</summary>
    public ActiveFault? TryTake(string deployment)
    {
        if (!_faults.TryGetValue(deployment, out var fault))
        {
            return null;
        }

        if (fault.TryConsume())
        {
            if (fault.Remaining == 0)
            {
                // Only remove this very fault: a concurrent PUT may already have replaced it.
                _faults.TryRemove(new KeyValuePair<string, ActiveFault>(deployment, fault));
            }

            return fault;
        }

        _faults.TryRemove(new KeyValuePair<string, ActiveFault>(deployment, fault));
        return null;
    }
}
