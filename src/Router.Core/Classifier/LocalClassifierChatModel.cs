using System.Runtime.CompilerServices;
using Router.Core.Models;

namespace Router.Core.Classifier;

/// <summary>
/// A local classifier as a model of the registry: it answers in-process with the version the request
/// pins (a promoted route's, <see cref="ChatModelRequest.ModelVersion"/>) or else the one its pointer names, its label as the text and its class probability as the confidence (the flow cascades an answer
/// below the task's threshold). No tokens are billed. With no version loaded yet it fails as unavailable,
/// so a task with CascadeToLarge goes to the large model as for any small model that is down.
/// </summary>
public sealed class LocalClassifierChatModel(string name, LocalClassifiers classifiers) : IChatModel
{
    public string Name { get; } = name;

    public Task<ChatModelResponse> CompleteAsync(ChatModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var loaded = request.ModelVersion is { } pinned
            ? classifiers.Get(Name, pinned) ?? throw new ModelCallException(UpstreamFailureKind.Unavailable, Name, $"Local classifier '{Name}': version {pinned}, which the promoted route is pinned to, is not loaded on this instance (yet).")
            : classifiers.Current(Name) ?? throw new ModelCallException(UpstreamFailureKind.Unavailable, Name, $"Local classifier '{Name}' has no trained version yet (POST /api/distillation/{{task}}/train).");
        var (label, confidence) = loaded.Predict(ClassifierInput.From(request.Messages));
        return Task.FromResult(new ChatModelResponse(label, "stop", default, Name + "@" + loaded.Version) { Confidence = confidence });
    }

    public async IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatModelRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = await CompleteAsync(request, cancellationToken).ConfigureAwait(false);
        yield return new ChatStreamUpdate(response.Text, response.FinishReason, response.Usage, response.ResponseModel);
    }
}
