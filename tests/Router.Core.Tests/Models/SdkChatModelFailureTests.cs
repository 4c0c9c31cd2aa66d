using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Router.Core.Models;
using Router.Core.Routing;

namespace Router.Core.Tests.Models;

/// <summary>
/// What a failure inside the model's HTTP pipeline becomes: the resilience pipeline's rejections
/// (the standard handler's concurrency limiter, an open circuit) are 503 "unavailable" with a cause
/// the caller can act on, a deadline is 504, and nothing leaves as a raw Polly exception (which the
/// router would answer with a 500). The SDK client is real; only its transport throws.
/// </summary>
public sealed class SdkChatModelFailureTests
{
    private static readonly ChatModelRequest Request = new([new PromptMessage("user", "hi", PromptPart.Caller)], 10, null, false);

    public static TheoryData<string, int, string> Rejections => new()
    {
        { "concurrency", 503, "too many calls in flight" },
        { "circuit", 503, "circuit is open" },
        { "timeout", 504, "did not answer within the deadline" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task CompleteAsync_ResilienceRejects_ThrowsModelCallExceptionWithStatusAndCause(string rejection, int status, string cause)
    {
        var model = ModelFailingWith(Exception(rejection));

        var failure = await Assert.ThrowsAsync<ModelCallException>(() => model.CompleteAsync(Request, CancellationToken.None));

        Assert.Equal(status, failure.HttpStatus);
        Assert.Equal("large", failure.Model);
        Assert.Contains(cause, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_ConcurrencyLimiterGivesRetryAfter_KeepsIt()
    {
        var model = ModelFailingWith(new RateLimiterRejectedException(TimeSpan.FromSeconds(7)));

        var failure = await Assert.ThrowsAsync<ModelCallException>(() => model.CompleteAsync(Request, CancellationToken.None));

        Assert.Equal((UpstreamFailureKind.Unavailable, TimeSpan.FromSeconds(7)), (failure.Kind, failure.RetryAfter));
    }

    [Fact]
    public async Task StreamAsync_ConcurrencyLimiterRejects_ThrowsUnavailable()
    {
        var model = ModelFailingWith(new RateLimiterRejectedException());

        var failure = await Assert.ThrowsAsync<ModelCallException>(async () =>
        {
            await foreach (var update in model.StreamAsync(Request, CancellationToken.None))
            {
                _ = update;
            }
        });

        Assert.Equal(UpstreamFailureKind.Unavailable, failure.Kind);
    }

    [Fact]
    public async Task CompleteAsync_CallerCancelled_CancellationIsNotTranslated()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var model = ModelFailingWith(new OperationCanceledException(cancelled.Token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => model.CompleteAsync(Request, cancelled.Token));
    }

    private static Exception Exception(string rejection) => rejection switch
    {
        "concurrency" => new RateLimiterRejectedException(),
        "circuit" => new BrokenCircuitException(),
        "timeout" => new TimeoutRejectedException(),
        _ => throw new ArgumentOutOfRangeException(nameof(rejection)),
    };

    private static SdkChatModel ModelFailingWith(Exception exception)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9/v1"),
            Transport = new HttpClientPipelineTransport(new HttpClient(new ThrowingHandler(exception))),
            RetryPolicy = new ClientRetryPolicy(0),
        };
        return new SdkChatModel("large", new ChatClient("large", new ApiKeyCredential("k"), options), new ChatWire("large", MaxCompletionTokens: true));
    }

    private sealed class ThrowingHandler(Exception exception) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromException<HttpResponseMessage>(exception);
    }
}
