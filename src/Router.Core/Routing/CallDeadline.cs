namespace Router.Core.Routing;

/// <summary>
/// The router's deadline for one request, linked to the caller's token. Its timer comes from
/// <see cref="TimeProvider"/>, so a test with FakeTimeProvider hits the deadline without waiting.
/// A token cancelled while the caller is still there means the deadline passed.
/// </summary>
public sealed class CallDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly ITimer? _timer;

    public CallDeadline(TimeProvider time, TimeSpan limit, CancellationToken caller)
    {
        ArgumentNullException.ThrowIfNull(time);
        Limit = limit;
        Caller = caller;
        _source = CancellationTokenSource.CreateLinkedTokenSource(caller);
        if (ReferenceEquals(time, TimeProvider.System))
        {
            // The CTS's own timer: one allocation fewer than a TimeProvider timer.
            _source.CancelAfter(limit);
        }
        else
        {
            _timer = time.CreateTimer(static state => Cancel((CancellationTokenSource)state!), _source, limit, Timeout.InfiniteTimeSpan);
        }
    }

    public TimeSpan Limit { get; }

    /// <summary>The caller's own token (the HTTP request's abort).</summary>
    public CancellationToken Caller { get; }

    /// <summary>Cancelled when the caller leaves or the deadline passes.</summary>
    public CancellationToken Token => _source.Token;

    public bool CallerLeft => Caller.IsCancellationRequested;

    /// <summary>The deadline passed while the caller was still waiting.</summary>
    public bool Expired => _source.IsCancellationRequested && !Caller.IsCancellationRequested;

    public void Dispose()
    {
        _timer?.Dispose();
        _source.Dispose();
    }

    private static void Cancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call ended before its deadline.
        }
    }
}
