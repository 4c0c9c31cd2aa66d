using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Router.Emulator.Faults;

namespace Router.Emulator.Logging;

/// <summary>Source-generated log messages: no formatting cost when the level is off, which is the hot path.</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Rejected request to {Path}: missing or wrong API key")]
    public static partial void Unauthorized(ILogger logger, PathString path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Rejected bad request to {Path}: {Reason}")]
    public static partial void BadRequest(ILogger logger, PathString path, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Serving fault {Kind} to deployment {Deployment}")]
    public static partial void FaultServed(ILogger logger, FaultKind kind, string deployment);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Caller went away during a request to deployment {Deployment}")]
    public static partial void CallerAborted(ILogger logger, string deployment);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Fault {Kind} set on deployment {Deployment} for {Count} requests (null = until cleared)")]
    public static partial void FaultSet(ILogger logger, FaultKind kind, string deployment, int? count);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Faults cleared for {Scope}")]
    public static partial void FaultsCleared(ILogger logger, string scope);
}
