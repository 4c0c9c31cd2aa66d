using Microsoft.Extensions.Hosting;
using Router.Core.Ledger;

namespace Router.Core.Telemetry;

/// <summary>Puts this host's ledger under the queue-depth gauge while the host runs.</summary>
internal sealed class LedgerGaugeRegistration(ICallLedger ledger) : IHostedService
{
    private IDisposable? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = LedgerGauges.Observe(ledger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration?.Dispose();
        return Task.CompletedTask;
    }
}
