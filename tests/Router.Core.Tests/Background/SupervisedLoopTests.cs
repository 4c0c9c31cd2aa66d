using Microsoft.Extensions.Logging.Abstractions;
using Router.Core.Background;

namespace Router.Core.Tests.Background;

/// <summary>
/// The supervisor every background loop runs under: what a loop throws restarts it (counted,
/// reported as failing) instead of ending it, the host's stop ends it without a restart, and the
/// stop work runs even when the loop never got its first turn.
/// </summary>
public sealed class SupervisedLoopTests
{
    [Fact]
    public async Task ExecuteAsync_LoopThrowsTwice_RestartsItAndReportsFailingUntilItRecovers()
    {
        var loops = new LoopRegistry(TimeProvider.System, NullLoggerFactory.Instance);
        using var loop = new ThrowingLoop(loops, throwTimes: 2);

        await loop.StartAsync(CancellationToken.None);
        await loop.ThirdRun.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var failing = Assert.Single(loops.States);
        Assert.Equal(("test-loop", LoopState.Failing, 2L, 2L, nameof(TimeoutException)), (failing.Name, failing.Status, failing.Restarts, failing.ConsecutiveFailures, failing.LastError));
        Assert.True(loops.AnyFailing);
        loop.Recover();
        var recovered = Assert.Single(loops.States);
        Assert.Equal((LoopState.Healthy, 0L, 2L), (recovered.Status, recovered.ConsecutiveFailures, recovered.Failures));
        Assert.False(loops.AnyFailing);
        await loop.StopAsync(CancellationToken.None);
        Assert.True(loop.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Equal(1, loop.StopWork);
    }

    [Fact]
    public async Task StopAsync_HostStopsWhileTheLoopWaits_EndsItWithoutRestartOrFailure()
    {
        var loops = new LoopRegistry(TimeProvider.System, NullLoggerFactory.Instance);
        using var loop = new ThrowingLoop(loops, throwTimes: 0);

        await loop.StartAsync(CancellationToken.None);
        await loop.ThirdRun.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await loop.StopAsync(CancellationToken.None);

        Assert.True(loop.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Equal((LoopState.Healthy, 0L, 0L), (loops.States[0].Status, loops.States[0].Failures, loops.States[0].Restarts));
        Assert.Equal(1, loop.StopWork);
    }

    [Fact]
    public async Task StopAsync_LoopNeverStarted_StillRunsTheStopWork()
    {
        var loops = new LoopRegistry(TimeProvider.System, NullLoggerFactory.Instance);
        using var loop = new ThrowingLoop(loops, throwTimes: 0);

        await loop.StopAsync(CancellationToken.None);

        Assert.Equal(0, loop.Runs);
        Assert.Equal(1, loop.StopWork);
    }

    [Theory]
    [InlineData(1, 200)]
    [InlineData(2, 400)]
    [InlineData(5, 3_200)]
    [InlineData(100, 30_000)]
    public void RestartDelay_ConsecutiveFailures_DoublesUpToThirtySeconds(long failures, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), SupervisedLoop.RestartDelay(failures));

    /// <summary>Throws on its first <c>throwTimes</c> runs; from its third run on it waits for the stop.</summary>
    private sealed class ThrowingLoop(LoopRegistry loops, int throwTimes) : SupervisedLoop("test-loop", loops, TimeProvider.System)
    {
        private int _runs;
        private int _stopWork;

        public TaskCompletionSource ThirdRun { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Runs => _runs;

        public int StopWork => _stopWork;

        public void Recover() => Loop.Succeeded();

        protected override async Task RunAsync(CancellationToken stoppingToken)
        {
            var run = Interlocked.Increment(ref _runs);
            if (run <= throwTimes)
            {
                throw new TimeoutException($"run {run} (injected)");
            }

            if (run >= 3 || throwTimes == 0)
            {
                ThirdRun.TrySetResult();
            }

            await Task.Delay(Timeout.Infinite, stoppingToken);
        }

        protected override Task OnStoppedAsync()
        {
            Interlocked.Increment(ref _stopWork);
            return Task.CompletedTask;
        }
    }
}
