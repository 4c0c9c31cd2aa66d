using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Router.Core;

namespace Router.Functions.Tests.Telemetry;

/// <summary>Every measurement of Router's Meter, as (instrument, value, tags), read with a MeterListener.</summary>
internal sealed class MetricsCapture : IDisposable
{
    private readonly MeterListener _listener = new();

    public MetricsCapture()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RouterTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    public ConcurrentQueue<Measured> Measurements { get; } = new();

    public void Observe() => _listener.RecordObservableInstruments();

    public IEnumerable<Measured> Of(string instrument, string? client = null) =>
        Measurements.Where(m => m.Instrument == instrument && (client is null || m.Tag("router.client") == client));

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        Measurements.Enqueue(new Measured(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString())));
}

internal sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags)
{
    public string? Tag(string name) => Tags.GetValueOrDefault(name);
}
