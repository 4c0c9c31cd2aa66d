using Microsoft.Extensions.Hosting;

namespace Router.Core.Background;

/// <summary>
/// The base of every background loop: nothing a loop throws can stop the host or end the loop.
/// <see cref="RunAsync"/> is the loop; if it throws (anything but the host's own shutdown), the
/// supervisor counts and logs it, marks the loop failing for /api/health and runs it again after
/// a backoff (0.2 s doubling to 30 s). Work that must happen at shutdown goes in
/// <see cref="OnStoppedAsync"/>, which runs from <see cref="StopAsync"/> even when the loop never
/// got to run (the host stopped before its first turn) or had crashed.
/// </summary>
public abstract class SupervisedLoop : BackgroundService
{
    private static readonly TimeSpan FirstRestartDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;

    protected SupervisedLoop(string name, LoopRegistry loops, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(loops);
        _time = time;
        Loop = loops.Register(name);
    }

    /// <summary>The clock the loop waits on.</summary>
    protected TimeProvider Time => _time;

    /// <summary>Report failures and successes here; health shows them under this loop's name.</summary>
    protected LoopMonitor Loop { get; }

    /// <summary>Restarts since start.</summary>
    public long Restarts => Loop.State.Restarts;

    /// <summary>The loop. Returning ends it for good (nothing to do); throwing restarts it.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    /// <summary>Runs once at shutdown, after the loop has ended; bounded by its own deadline.</summary>
    protected virtual Task OnStoppedAsync() => Task.CompletedTask;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunAsync(stoppingToken);
                return;
            }
#pragma warning disable CA1031 // The supervisor's job is to survive whatever the loop throws.
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // the host is stopping: whatever the loop was doing ended with it
            }
            catch (Exception ex)
            {
                Loop.Crashed(ex);
            }
#pragma warning restore CA1031

            try
            {
                await Task.Delay(RestartDelay(Loop.ConsecutiveFailures), _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await OnStoppedAsync();
    }

    internal static TimeSpan RestartDelay(long consecutiveFailures)
    {
        var doublings = (int)Math.Clamp(consecutiveFailures - 1, 0, 20);
        var delay = FirstRestartDelay * Math.Pow(2, doublings);
        return delay < MaxRestartDelay ? delay : MaxRestartDelay;
    }
}
