namespace Router.Core.Models;

/// <summary>One deployment, reached over HTTP with the official SDK client.</summary>
public interface IChatModel
{
    string Name { get; }

    Task<ChatModelResponse> CompleteAsync(ChatModelRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the answer as the model produces it. Usage is always requested upstream, so the
    /// last update normally carries it. Failures surface as <see cref="ModelCallException"/>.
    /// </summary>
    IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatModelRequest request, CancellationToken cancellationToken);
}
