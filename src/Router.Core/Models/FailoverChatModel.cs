using System.Runtime.CompilerServices;
using Polly;
using Polly.Hedging;

namespace Router.Core.Models;

/// <summary>
/// A deployment served by several backends (e.g. two regions). A Polly hedging strategy in
/// fallback mode (Delay = infinite: the next backend starts only after the previous one
/// failed) walks the backends in priority order. Each backend keeps its own HttpClient with
/// retries and circuit breaker, so a backend whose circuit is open fails fast and the next
/// one serves. A stream fails over only until its first update arrived: after that the
/// caller has bytes and a switch would splice two answers.
/// </summary>
public sealed class FailoverChatModel : IChatModel
{
    private static readonly ResiliencePropertyKey<StrongBox<int>> NextBackend = new("router.backend.next");
    private static readonly ResiliencePropertyKey<CancellationToken> CallerToken = new("router.backend.caller-token");

    private readonly IReadOnlyList<IChatModel> _backends;
    private readonly ResiliencePipeline<ChatModelResponse> _complete;
    private readonly ResiliencePipeline<StreamStart> _stream;

    public FailoverChatModel(string name, IReadOnlyList<IChatModel> backends)
    {
        ArgumentNullException.ThrowIfNull(backends);
        if (backends.Count < 2)
        {
            throw new ArgumentException("Failover needs at least two backends.", nameof(backends));
        }

        Name = name;
        _backends = backends;
        _complete = Build<ChatModelResponse>(backends.Count);
        _stream = Build<StreamStart>(backends.Count);
    }

    public string Name { get; }

    public async Task<ChatModelResponse> CompleteAsync(ChatModelRequest request, CancellationToken cancellationToken)
    {
        var context = Context(cancellationToken);
        try
        {
            return await _complete.ExecuteAsync(
                static (ctx, state) => new ValueTask<ChatModelResponse>(state.Backend(ctx).CompleteAsync(state.Request, ctx.Properties.GetValue(CallerToken, default))),
                context,
                (Request: request, Backend: (Func<ResilienceContext, IChatModel>)BackendFor));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatModelRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var context = Context(cancellationToken);
        StreamStart start;
        try
        {
            start = await _stream.ExecuteAsync(
                static async (ctx, state) =>
                {
                    // The caller's token, not the attempt's: the stream outlives this pipeline execution.
                    var token = ctx.Properties.GetValue(CallerToken, default);
                    var updates = state.Backend(ctx).StreamAsync(state.Request, token).GetAsyncEnumerator(token);
                    try
                    {
                        return new StreamStart(updates, await updates.MoveNextAsync());
                    }
                    catch
                    {
                        await updates.DisposeAsync();
                        throw;
                    }
                },
                context,
                (Request: request, Backend: (Func<ResilienceContext, IChatModel>)BackendFor));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        await using (start.Updates)
        {
            if (!start.HasFirst)
            {
                yield break;
            }

            yield return start.Updates.Current;
            while (await start.Updates.MoveNextAsync())
            {
                yield return start.Updates.Current;
            }
        }
    }

    private static ResilienceContext Context(CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(NextBackend, new StrongBox<int>(0));
        context.Properties.Set(CallerToken, cancellationToken);
        return context;
    }

    private IChatModel BackendFor(ResilienceContext context) =>
        _backends[Math.Min(context.Properties.GetValue(NextBackend, new StrongBox<int>(0)).Value, _backends.Count - 1)];

    private static ResiliencePipeline<T> Build<T>(int backends) =>
        new ResiliencePipelineBuilder<T>()
            .AddHedging(new HedgingStrategyOptions<T>
            {
                MaxHedgedAttempts = backends - 1,
                Delay = Timeout.InfiniteTimeSpan,
                ShouldHandle = new PredicateBuilder<T>().Handle<ModelCallException>(),
                ActionGenerator = args =>
                {
                    // Attempts run one after another (fallback mode), so a shared counter picks the next backend by priority.
                    args.PrimaryContext.Properties.GetValue(NextBackend, new StrongBox<int>(0)).Value++;
                    return () => args.Callback(args.ActionContext);
                },
            })
            .Build();

    private sealed record StreamStart(IAsyncEnumerator<ChatStreamUpdate> Updates, bool HasFirst);
}
