namespace Router.Core.Health;

/// <summary>
/// Runs one health probe within its deadline, whatever the probe does: a probe that ignores its
/// cancellation (a half-open connection, an SDK stuck below the token) is abandoned at the
/// deadline and reported unhealthy, so /api/health always answers on time.
/// </summary>
public static class BoundedProbe
{
    public static async Task<DependencyHealth> RunAsync(string name, Func<CancellationToken, Task<DependencyHealth>> probe, TimeSpan deadline, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(deadline, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Task<DependencyHealth> running;
        try
        {
            running = probe(linked.Token);
        }
#pragma warning disable CA1031 // A probe that throws is a failed dependency, reported, never health's own failure.
        catch (Exception ex)
        {
            return Failed(name, time, started, ex.Message.Split('\n')[0]);
        }

        try
        {
            return await running.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The probe may still finish later; observe its outcome so it never surfaces as unobserved.
            _ = running.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return Failed(name, time, started, $"no answer within {deadline.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Failed(name, time, started, ex.Message.Split('\n')[0]);
        }
#pragma warning restore CA1031
    }

    private static DependencyHealth Failed(string name, TimeProvider time, long started, string error) =>
        new(name, HealthStatus.Unhealthy, time.GetElapsedTime(started).TotalMilliseconds, error);
}
