using Router.Core.Catalog;
using Router.Core.Models;

namespace Router.Core.Routing;

/// <summary>
/// A streamed request the flow answered non-streamed, because its small-model answer had to be
/// checked (and maybe cascaded) before the caller saw a byte: the whole text as one update, then
/// the finish reason and usage. Recorded by the flow already (Streamed = false: the model did not stream).
/// </summary>
public sealed class BufferedAnswer(RouteResult result) : IStreamedAnswer
{
    public RouteResult Result { get; } = result ?? throw new ArgumentNullException(nameof(result));

    public string CallId => Result.CallId;

    public RouteTarget Route => Result.Route;

    public CatalogModel Model => Result.Model;

    public bool Fallback => Result.Fallback;

    public decimal? KnownCostUsd => Result.TotalCostUsd;

    public decimal? FinalCostUsd => Result.TotalCostUsd;

    public async IAsyncEnumerable<ChatStreamUpdate> ReadAsync()
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var response = Result.Response;
        yield return new ChatStreamUpdate(response.Text.Length > 0 ? response.Text : null, null, null, response.ResponseModel)
        {
            ToolCalls = response.ToolCalls.Select((c, i) => new ToolCallDelta(i, c.Id, c.Name, c.Arguments)).ToList(),
        };
        yield return new ChatStreamUpdate(null, response.FinishReason ?? "stop", response.Usage, response.ResponseModel);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
