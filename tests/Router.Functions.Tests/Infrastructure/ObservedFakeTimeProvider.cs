using Microsoft.Extensions.Time.Testing;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>
/// A FakeTimeProvider that knows which of its timers are still pending (created, not fired, not
/// disposed), so a test can wait for "the code under test is waiting for a future instant" instead of
/// sleeping and hoping the loop got there. Used by the timer scheduler and ledger tests.
/// </summary>
public sealed class ObservedFakeTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<PendingTimer> _pending = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var pending = new PendingTimer(GetUtcNow() + dueTime, this);
        lock (_gate)
        {
            _pending.Add(pending);
        }

        pending.Inner = base.CreateTimer(
            s =>
            {
                if (period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
                {
                    pending.Due += period; // periodic: pending again until its next tick
                }
                else
                {
                    Forget(pending);
                }

                callback(s);
            },
            state,
            dueTime,
            period);
        return pending;
    }

    /// <summary>Waits (scaled to a busy machine: up to 60 s) until a pending timer is due after now.</summary>
    public async Task WaitUntilWaitingAsync()
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (!IsWaiting())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Nothing went back to waiting on this clock at {GetUtcNow():O}.");
            await Task.Delay(5);
        }
    }

    private bool IsWaiting()
    {
        var now = GetUtcNow();
        lock (_gate)
        {
            return _pending.Any(p => p.Due > now);
        }
    }

    private void Forget(PendingTimer timer)
    {
        lock (_gate)
        {
            _pending.Remove(timer);
        }
    }

    private sealed class PendingTimer(DateTimeOffset due, ObservedFakeTimeProvider owner) : ITimer
    {
        public DateTimeOffset Due { get; set; } = due;

        public ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Due = owner.GetUtcNow() + dueTime;
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            owner.Forget(this);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            owner.Forget(this);
            return Inner.DisposeAsync();
        }
    }
}
