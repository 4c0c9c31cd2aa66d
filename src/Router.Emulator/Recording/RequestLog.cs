using Microsoft.Extensions.Options;
using Router.Emulator.Options;

namespace Router.Emulator.Recording;

/// <summary>The most recent requests, oldest first; a ring buffer so memory stays flat under load.</summary>
public sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly RecordedRequest?[] _buffer;
    private int _next;
    private int _count;

    public RequestLog(IOptions<EmulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _buffer = new RecordedRequest?[options.Value.RequestLogCapacity];
    }

    public void Add(RecordedRequest request)
    {
        lock (_gate)
        {
            _buffer[_next] = request;
            _next = (_next + 1) % _buffer.Length;
            _count = Math.Min(_count + 1, _buffer.Length);
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot(string? deployment)
    {
        lock (_gate)
        {
            var result = new List<RecordedRequest>(_count);
            var start = (_next - _count + _buffer.Length) % _buffer.Length;
            for (var i = 0; i < _count; i++)
            {
                var request = _buffer[(start + i) % _buffer.Length]!;
                if (deployment is null || request.Deployment.Equals(deployment, StringComparison.OrdinalIgnoreCase))
                {
                    result.Add(request);
                }
            }

            return result;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            Array.Clear(_buffer);
            _next = 0;
            _count = 0;
        }
    }
}
