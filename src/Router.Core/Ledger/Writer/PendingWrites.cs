using System.Threading.Channels;

namespace Router.Core.Ledger.Writer;

/// <summary>
/// The request path's side of a background table writer: a queue of at most <c>capacity</c> items
/// that callers add to without waiting (a full queue says no; the writer counts the loss), read by
/// one writer loop that drains batches. The capacity is checked under a lock, so whatever the
/// caller does while adding (the ledger journals the record) happens in queue order.
/// </summary>
public sealed class PendingWrites<T>
{
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly object _gate = new();
    private readonly int _capacity;
    private long _pending;

    public PendingWrites(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Items added and not yet taken off by <see cref="Done"/>.</summary>
    public int Pending => (int)Interlocked.Read(ref _pending);

    /// <summary>Adds the item <paramref name="create"/> makes, unless the queue is full (then <paramref name="create"/> is not called).</summary>
    public bool TryAdd<TState>(Func<TState, T> create, TState state)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (_gate)
        {
            if (Interlocked.Read(ref _pending) >= _capacity)
            {
                return false;
            }

            _channel.Writer.TryWrite(create(state));
            Interlocked.Increment(ref _pending);
            return true;
        }
    }

    public bool TryAdd(T item) => TryAdd(static i => i, item);

    public bool TryPeek(out T item) => _channel.Reader.TryPeek(out item!);

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Moves up to <paramref name="max"/> items (in queue order) into <paramref name="buffer"/>; they stay pending until <see cref="Done"/>.</summary>
    public int Drain(List<T> buffer, int max)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var taken = 0;
        while (buffer.Count < max && _channel.Reader.TryRead(out var item))
        {
            buffer.Add(item);
            taken++;
        }

        return taken;
    }

    /// <summary>Items written (or given up) by the writer: no longer pending.</summary>
    public void Done(int count) => Interlocked.Add(ref _pending, -count);
}
