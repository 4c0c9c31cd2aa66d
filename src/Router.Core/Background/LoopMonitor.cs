using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Router.Core.Background;

/// <summary>
/// What one background loop reports: each failure (counted in router.background.failures, logged
/// once per outage, not once per attempt) and each success (which ends the outage, logged once).
/// Health reads <see cref="State"/>.
/// </summary>
public sealed partial class LoopMonitor
{
    private static readonly Counter<long> FailuresCounter = RouterTelemetry.Meter.CreateCounter<long>(
        "router.background.failures", "{failure}", "Failures of background loops (storage retries, refresh failures, loop restarts); the loop carries on.");

    private static readonly Counter<long> RestartsCounter = RouterTelemetry.Meter.CreateCounter<long>(
        "router.background.restarts", "{restart}", "Background loops restarted by their supervisor after they threw.");

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private DateTimeOffset? _failingSince;
    private long _consecutive;
    private long _failures;
    private long _restarts;
    private string? _lastError;

    internal LoopMonitor(string name, TimeProvider time, ILogger logger)
    {
        Name = name;
        _time = time;
        _logger = logger;
    }

    public string Name { get; }

    public bool IsFailing
    {
        get
        {
            lock (_lock)
            {
                return _failingSince is not null;
            }
        }
    }

    public LoopState State
    {
        get
        {
            lock (_lock)
            {
                return new LoopState(Name, _failingSince is null ? LoopState.Healthy : LoopState.Failing, _failingSince, _consecutive, _failures, _restarts, _lastError);
            }
        }
    }

    /// <summary>Failures since the last success (the supervisor's restart backoff grows with it).</summary>
    public long ConsecutiveFailures
    {
        get
        {
            lock (_lock)
            {
                return _consecutive;
            }
        }
    }

    /// <summary>A failed attempt the loop will retry. The first one of an outage is logged; the rest are counted.</summary>
    public void Failed(Exception exception) => Record(exception, restart: false);

    /// <summary>The loop threw and its supervisor restarts it.</summary>
    internal void Crashed(Exception exception) => Record(exception, restart: true);

    /// <summary>Work went through: an outage, if any, is over.</summary>
    public void Succeeded()
    {
        DateTimeOffset since;
        long failures;
        lock (_lock)
        {
            if (_failingSince is null)
            {
                return;
            }

            since = _failingSince.Value;
            failures = _consecutive;
            _failingSince = null;
            _consecutive = 0;
        }

        var duration = _time.GetUtcNow() - since;
        LogRecovered(_logger, Name, failures, duration);
    }

    private void Record(Exception exception, bool restart)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var errorType = exception.GetType().Name;
        bool first;
        lock (_lock)
        {
            first = _failingSince is null;
            _failingSince ??= _time.GetUtcNow();
            _consecutive++;
            _failures++;
            _lastError = errorType;
            if (restart)
            {
                _restarts++;
            }
        }

        var tags = new TagList { { "router.loop", Name }, { "error.type", errorType } };
        FailuresCounter.Add(1, tags);
        if (restart)
        {
            RestartsCounter.Add(1, tags);
            // A restart is a bug or a failure the loop did not expect: always worth its own line, with the exception.
            LogRestarted(_logger, Name, errorType, exception);
        }
        else if (first)
        {
            LogFailing(_logger, Name, errorType, exception.Message.Split('\n')[0]);
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Background loop {Loop} failing ({ErrorType}: {Detail}); it retries with backoff and logs again when it recovers")]
    private static partial void LogFailing(ILogger logger, string loop, string errorType, string detail);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Background loop {Loop} recovered after {Failures} failures over {Duration}")]
    private static partial void LogRecovered(ILogger logger, string loop, long failures, TimeSpan duration);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "Background loop {Loop} threw ({ErrorType}); its supervisor restarts it")]
    private static partial void LogRestarted(ILogger logger, string loop, string errorType, Exception exception);
}
