using System.Runtime.CompilerServices;
using Router.Core.Models;
using Router.Core.Routing;

namespace Router.Core.Tests.Models;

public sealed class FailoverChatModelTests
{
    private static readonly ChatModelRequest Request = new([new PromptMessage("user", "hi", PromptPart.Caller)], 10, null, false);

    [Fact]
    public async Task CompleteAsync_PrimaryFails_NextBackendInOrderServes()
    {
        var primary = new FakeModel("primary", fail: true);
        var second = new FakeModel("second", fail: false);
        var third = new FakeModel("third", fail: false);
        var model = new FailoverChatModel("large", [primary, second, third]);

        var response = await model.CompleteAsync(Request, CancellationToken.None);

        Assert.Equal("second", response.Text);
        Assert.Equal((1, 1, 0), (primary.Calls, second.Calls, third.Calls));
    }

    [Fact]
    public async Task CompleteAsync_PrimaryHealthy_OnlyPrimaryCalled()
    {
        var primary = new FakeModel("primary", fail: false);
        var second = new FakeModel("second", fail: false);
        var model = new FailoverChatModel("large", [primary, second]);

        var response = await model.CompleteAsync(Request, CancellationToken.None);

        Assert.Equal("primary", response.Text);
        Assert.Equal(0, second.Calls);
    }

    [Fact]
    public async Task CompleteAsync_AllBackendsFail_TriesEachOnceThenThrowsModelCallException()
    {
        var a = new FakeModel("a", fail: true);
        var b = new FakeModel("b", fail: true);
        var model = new FailoverChatModel("large", [a, b]);

        await Assert.ThrowsAsync<ModelCallException>(() => model.CompleteAsync(Request, CancellationToken.None));

        Assert.Equal((1, 1), (a.Calls, b.Calls));
    }

    [Fact]
    public async Task CompleteAsync_CallerCancels_DoesNotFailOver()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var second = new FakeModel("second", fail: false);
        var model = new FailoverChatModel("large", [new FakeModel("primary", fail: false), second]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => model.CompleteAsync(Request, cancelled.Token));

        Assert.Equal(0, second.Calls);
    }

    [Fact]
    public async Task StreamAsync_PrimaryFailsBeforeFirstUpdate_SecondStreamsEverything()
    {
        var primary = new FakeModel("primary", fail: true);
        var second = new FakeModel("second", fail: false);
        var model = new FailoverChatModel("large", [primary, second]);

        var texts = new List<string?>();
        await foreach (var update in model.StreamAsync(Request, CancellationToken.None))
        {
            texts.Add(update.ContentDelta);
        }

        Assert.Equal(["second", "-1", "-2", null], texts);
        Assert.Equal(1, primary.Calls);
    }

    [Fact]
    public async Task StreamAsync_FailsAfterFirstUpdate_DoesNotSwitchBackends()
    {
        var primary = new FakeModel("primary", fail: false, failMidStream: true);
        var second = new FakeModel("second", fail: false);
        var model = new FailoverChatModel("large", [primary, second]);

        var texts = new List<string?>();
        await Assert.ThrowsAsync<ModelCallException>(async () =>
        {
            await foreach (var update in model.StreamAsync(Request, CancellationToken.None))
            {
                texts.Add(update.ContentDelta);
            }
        });

        Assert.Equal(["primary"], texts);
        Assert.Equal(0, second.Calls);
    }

    private sealed class FakeModel(string name, bool fail, bool failMidStream = false) : IChatModel
    {
        public string Name { get; } = name;

        public int Calls { get; private set; }

        public Task<ChatModelResponse> CompleteAsync(ChatModelRequest request, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Calls++;
            return fail
                ? throw new ModelCallException(UpstreamFailureKind.Unavailable, Name, $"Model '{Name}' could not be reached.")
                : Task.FromResult(new ChatModelResponse(Name, "stop", new TokenUsage(5, 0, 1), Name));
        }

        public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatModelRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Calls++;
            await Task.Yield();
            if (fail)
            {
                throw new ModelCallException(UpstreamFailureKind.Unavailable, Name, $"Model '{Name}' could not be reached.");
            }

            yield return new ChatStreamUpdate(Name, null, null, Name);
            if (failMidStream)
            {
                throw new ModelCallException(UpstreamFailureKind.BadGateway, Name, "broke mid-stream");
            }

            yield return new ChatStreamUpdate("-1", null, null, Name);
            yield return new ChatStreamUpdate("-2", "stop", null, Name);
            yield return new ChatStreamUpdate(null, null, new TokenUsage(5, 0, 3), Name);
        }
    }
}
