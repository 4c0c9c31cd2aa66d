using System.Collections.Concurrent;
using Router.Core.Ledger;

namespace Router.Core.Telemetry;

/// <summary>
/// The ledgers the router.ledger.queue_depth gauge observes. A static Meter cannot reach DI, so
/// each host registers its ledger while it runs (<see cref="LedgerGaugeRegistration"/>); several
/// routers in one process (tests) add up.
/// </summary>
public static class LedgerGauges
{
    private static readonly ConcurrentDictionary<ICallLedger, byte> Ledgers = new();

    public static IDisposable Observe(ICallLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        Ledgers.TryAdd(ledger, 0);
        return new Registration(ledger);
    }

    internal static int QueueDepth() => Ledgers.Keys.Sum(l => l.QueueDepth);

    private sealed class Registration(ICallLedger ledger) : IDisposable
    {
        public void Dispose() => Ledgers.TryRemove(ledger, out _);
    }
}
