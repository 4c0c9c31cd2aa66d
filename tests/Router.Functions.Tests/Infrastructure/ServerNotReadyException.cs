namespace Router.Functions.Tests.Infrastructure;

/// <summary>A test server did not become ready in time; its process (<see cref="ProcessId"/>) was killed first.</summary>
public sealed class ServerNotReadyException : InvalidOperationException
{
    public ServerNotReadyException()
    {
    }

    public ServerNotReadyException(string message)
        : base(message)
    {
    }

    public ServerNotReadyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ServerNotReadyException(string message, int processId)
        : base(message) => ProcessId = processId;

    public int ProcessId { get; }
}
