namespace Router.Core.Models;

/// <summary>One deployment, reached over HTTP with the official SDK client.</summary>
public interface IChatModel
{
    string Name { get; }

    Task<ChatModelResponse> CompleteAsync(ChatModelRequest request, CancellationToken cancellationToken);
}
