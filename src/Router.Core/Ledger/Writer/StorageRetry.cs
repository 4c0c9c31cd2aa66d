using Polly;
using Polly.Retry;
using Router.Core.Background;

namespace Router.Core.Ledger.Writer;

/// <summary>
/// The one retry pipeline of the background table writers (Polly): transient failures
/// (<see cref="TransientFailure"/>) retried with exponential backoff and jitter, each attempt
/// counted on the writer's loop monitor (logged once per outage there). The ledger never gives up
/// (<c>int.MaxValue</c> attempts); optional writers (training samples) give up after a few.
/// </summary>
public static class StorageRetry
{
    public static ResiliencePipeline Create(TimeProvider time, LoopMonitor loop, TimeSpan baseDelay, TimeSpan maxDelay, int maxAttempts = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(loop);
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } error && TransientFailure.IsTransient(error, args.Context.CancellationToken)),
                MaxRetryAttempts = maxAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                MaxDelay = maxDelay,
                OnRetry = args =>
                {
                    loop.Failed(args.Outcome.Exception!);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Storage refused for good: neither an outage to wait out nor the host stopping.</summary>
    public static bool IsRefused(Exception exception, CancellationToken cancellationToken) =>
        !TransientFailure.IsTransient(exception, cancellationToken) && !TransientFailure.IsShutdown(exception, cancellationToken);
}
