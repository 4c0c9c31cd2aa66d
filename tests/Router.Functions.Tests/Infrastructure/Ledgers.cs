using Microsoft.Extensions.DependencyInjection;
using Router.Core.Ledger;

namespace Router.Functions.Tests.Infrastructure;

internal static class Ledgers
{
    /// <summary>Waits until the router's ledger queue is empty, so table reads see every served call.</summary>
    public static async Task DrainAsync(this RouterServer router, TimeSpan? timeout = null)
    {
        var ledger = router.Services.GetRequiredService<ICallLedger>();
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(20));
        while (ledger.QueueDepth > 0)
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"Ledger still holds {ledger.QueueDepth} records.");
            }

            await Task.Delay(25);
        }
    }
}
