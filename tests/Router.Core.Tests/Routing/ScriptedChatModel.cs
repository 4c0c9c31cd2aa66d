using System.Runtime.CompilerServices;
using Router.Core.Models;

namespace Router.Core.Tests.Routing;

/// <summary>
/// An in-memory <see cref="IChatModel"/>: each call runs the next scripted step. A step may
/// advance the fake clock (the model "takes" that long), answer, fail, or wait until cancelled.
/// </summary>
internal sealed class ScriptedChatModel(string name) : IChatModel
{
    private readonly Queue<Func<ChatModelRequest, CancellationToken, Task<ChatModelResponse>>> _completions = new();
    private readonly Queue<Func<CancellationToken, IAsyncEnumerable<ChatStreamUpdate>>> _streams = new();

    public string Name { get; } = name;

    public List<ChatModelRequest> Requests { get; } = [];

    public ScriptedChatModel Answers(string text, TokenUsage usage, Action? during = null)
    {
        _completions.Enqueue((_, _) =>
        {
            during?.Invoke();
            return Task.FromResult(new ChatModelResponse(text, "stop", usage, Name + "-2024"));
        });
        return this;
    }

    /// <summary>Answers as a local classifier does: a label with its confidence and no tokens.</summary>
    public ScriptedChatModel Classifies(string label, double confidence)
    {
        _completions.Enqueue((_, _) => Task.FromResult(new ChatModelResponse(label, "stop", default, Name + "@v1") { Confidence = confidence }));
        return this;
    }

    public ScriptedChatModel Fails(UpstreamFailureKind kind)
    {
        _completions.Enqueue((_, _) => Task.FromException<ChatModelResponse>(new ModelCallException(kind, Name, $"Model '{Name}' failed ({kind}).")));
        return this;
    }

    /// <summary>Never answers: waits until the token (the router's deadline or the caller) is cancelled.</summary>
    public ScriptedChatModel Hangs()
    {
        _completions.Enqueue(async (_, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            throw new InvalidOperationException("unreachable");
        });
        return this;
    }

    /// <summary>Streams the deltas, then the usage chunk (when given), or hangs after the deltas when <paramref name="hangAfter"/>.</summary>
    public ScriptedChatModel Streams(string[] deltas, TokenUsage? usage, bool hangAfter = false)
    {
        _streams.Enqueue(token => Deltas(deltas, usage, hangAfter, token));
        return this;
    }

    public ScriptedChatModel StreamFails(UpstreamFailureKind kind)
    {
        _streams.Enqueue(_ => Failing(kind));
        return this;
    }

    public Task<ChatModelResponse> CompleteAsync(ChatModelRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return _completions.Dequeue()(request, cancellationToken);
    }

    public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatModelRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return _streams.Dequeue()(cancellationToken);
    }

    private async IAsyncEnumerable<ChatStreamUpdate> Deltas(string[] deltas, TokenUsage? usage, bool hangAfter, [EnumeratorCancellation] CancellationToken token = default)
    {
        foreach (var delta in deltas)
        {
            await Task.Yield();
            yield return new ChatStreamUpdate(delta, null, null, Name + "-2024");
        }

        if (hangAfter)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
        }

        yield return new ChatStreamUpdate(null, "stop", usage, Name + "-2024");
    }

    private async IAsyncEnumerable<ChatStreamUpdate> Failing(UpstreamFailureKind kind)
    {
        await Task.Yield();
        throw new ModelCallException(kind, Name, $"Model '{Name}' failed ({kind}).");
#pragma warning disable CS0162 // an iterator needs a yield
        yield break;
#pragma warning restore CS0162
    }
}
