using Microsoft.Extensions.Time.Testing;
using Router.Core.Health;

namespace Router.Core.Tests.Health;

/// <summary>One health probe within its deadline: a hung probe is abandoned and reported, never waited for.</summary>
public sealed class BoundedProbeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task RunAsync_ProbeIgnoresItsCancellation_ReportsUnhealthyAtTheDeadline()
    {
        var never = new TaskCompletionSource<DependencyHealth>(); // a probe stuck below its token (a half-open connection)

        var probe = BoundedProbe.RunAsync("table-storage", _ => never.Task, Deadline, _time, CancellationToken.None);
        _time.Advance(Deadline - TimeSpan.FromMilliseconds(1));
        Assert.False(probe.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var health = await probe.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(("table-storage", HealthStatus.Unhealthy, "no answer within 3 s"), (health.Name, health.Status, health.Error));
        Assert.Equal(3000, health.LatencyMs);
    }

    [Fact]
    public async Task RunAsync_ProbeHonoursItsToken_ItIsCancelledAtTheDeadline()
    {
        CancellationToken seen = default;

        var probe = BoundedProbe.RunAsync("large", async ct =>
        {
            seen = ct;
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new DependencyHealth("large", HealthStatus.Healthy, 0, null);
        }, Deadline, _time, CancellationToken.None);
        _time.Advance(Deadline);
        var health = await probe.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.True(seen.IsCancellationRequested);
    }

    [Fact]
    public async Task RunAsync_ProbeThrows_ReportsUnhealthyWithTheFirstLineOfTheError()
    {
        var health = await BoundedProbe.RunAsync("small", _ => throw new HttpRequestException("Connection refused (127.0.0.1:9)\nmore detail"), Deadline, _time, CancellationToken.None);

        Assert.Equal((HealthStatus.Unhealthy, "Connection refused (127.0.0.1:9)"), (health.Status, health.Error));
    }

    [Fact]
    public async Task RunAsync_ProbeFaultsLater_ReportsUnhealthyWithTheError()
    {
        var health = await BoundedProbe.RunAsync("small", async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("boom");
        }, Deadline, _time, CancellationToken.None);

        Assert.Equal((HealthStatus.Unhealthy, "boom"), (health.Status, health.Error));
    }

    [Fact]
    public async Task RunAsync_ProbeAnswersInTime_ReturnsItsAnswer()
    {
        var answer = new DependencyHealth("large", HealthStatus.Healthy, 12, null);

        var health = await BoundedProbe.RunAsync("large", _ => Task.FromResult(answer), Deadline, _time, CancellationToken.None);

        Assert.Same(answer, health);
    }

    [Fact]
    public async Task RunAsync_CallerGoesAway_Cancels()
    {
        using var caller = new CancellationTokenSource();
        var never = new TaskCompletionSource<DependencyHealth>();

        var probe = BoundedProbe.RunAsync("large", _ => never.Task, Deadline, _time, caller.Token);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe.WaitAsync(TimeSpan.FromSeconds(60)));
    }
}
