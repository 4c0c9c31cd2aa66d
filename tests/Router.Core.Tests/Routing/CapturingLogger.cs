using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Router.Core.Tests.Routing;

/// <summary>Keeps every log entry: the formatted message and each structured value, as the exporters would see them.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message, IReadOnlyList<string> Values)> Entries { get; } = new();

    /// <summary>Everything any sink could write: messages and structured values.</summary>
    public IEnumerable<string> Texts => Entries.SelectMany(e => e.Values.Prepend(e.Message));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.Select(p => p.Value?.ToString() ?? string.Empty).ToList()
            : [];
        if (exception is not null)
        {
            values.Add(exception.ToString());
        }

        Entries.Enqueue((logLevel, eventId, formatter(state, exception), values));
    }
}
