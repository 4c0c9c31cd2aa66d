using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>Counts the storage requests of a client (each page of a query is one) and keeps their URIs (to see filters and projections).</summary>
internal sealed class CountingPolicy : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<Uri> _requests = new();

    public int Count => _requests.Count;

    public IReadOnlyList<Uri> Requests => [.. _requests];

    /// <summary>A table service client on the connection whose every request this policy sees.</summary>
    public TableServiceClient Service(string connectionString)
    {
        var options = new TableClientOptions();
        options.AddPolicy(this, HttpPipelinePosition.PerCall);
        return new TableServiceClient(connectionString, options);
    }

    public void Clear() => _requests.Clear();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        _requests.Enqueue(message.Request.Uri.ToUri());
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        _requests.Enqueue(message.Request.Uri.ToUri());
        return ProcessNextAsync(message, pipeline);
    }
}
