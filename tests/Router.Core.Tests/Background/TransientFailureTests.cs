using Azure;
using Router.Core.Background;

namespace Router.Core.Tests.Background;

/// <summary>What background work retries: everything but the host's own stop and storage's definitive refusals.</summary>
public sealed class TransientFailureTests
{
    [Fact]
    public void IsTransient_TableClientNetworkTimeout_IsTransientWhileTheHostRuns()
    {
        // The Azure SDK's network timeout (30 s on the router's Table client) surfaces as a TaskCanceledException.
        var timeout = new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:00:30.");

        Assert.True(TransientFailure.IsTransient(timeout, CancellationToken.None));
        Assert.False(TransientFailure.IsShutdown(timeout, CancellationToken.None));
    }

    [Fact]
    public void IsTransient_CancellationOfTheHostsOwnToken_IsShutdownNotTransient()
    {
        using var stopping = new CancellationTokenSource();
        stopping.Cancel();
        var cancelled = new OperationCanceledException(stopping.Token);

        Assert.False(TransientFailure.IsTransient(cancelled, stopping.Token));
        Assert.True(TransientFailure.IsShutdown(cancelled, stopping.Token));
    }

    [Theory]
    [InlineData(500, null, true)]
    [InlineData(503, null, true)]
    [InlineData(408, null, true)]
    [InlineData(429, null, true)]
    [InlineData(0, null, true)]
    [InlineData(404, "TableNotFound", true)]
    [InlineData(400, "InvalidInput", false)]
    [InlineData(403, "AuthorizationFailure", false)]
    [InlineData(409, "EntityAlreadyExists", false)]
    [InlineData(413, "RequestBodyTooLarge", false)]
    public void IsTransient_StorageStatus_RetriesOnlyWhatCouldSucceedLater(int status, string? code, bool transient) =>
        Assert.Equal(transient, TransientFailure.IsTransient(new RequestFailedException(status, "storage said no", code, null), CancellationToken.None));

    [Fact]
    public void IsTransient_UnexpectedErrorsAndNetworkFailures_AreTransientBadArgumentsAreNot()
    {
        Assert.True(TransientFailure.IsTransient(new HttpRequestException("connection refused"), CancellationToken.None));
        Assert.True(TransientFailure.IsTransient(new IOException("reset"), CancellationToken.None));
        Assert.True(TransientFailure.IsTransient(new InvalidOperationException("unexpected"), CancellationToken.None));
        Assert.False(TransientFailure.IsTransient(new ArgumentException("property too large"), CancellationToken.None));
        Assert.True(TransientFailure.IsTransient(new AggregateException(new IOException("a"), new TimeoutException("b")), CancellationToken.None));
        Assert.False(TransientFailure.IsTransient(new AggregateException(new IOException("a"), new ArgumentException("b")), CancellationToken.None));
    }
}
