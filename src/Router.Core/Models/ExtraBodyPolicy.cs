using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;

namespace Router.Core.Models;

/// <summary>
/// Adds body properties the OpenAI SDK 2.1.0 had no option for — <c>reasoning_effort</c> — to the
/// one request a call sends (OpenAI 2.15.0 has ChatCompletionOptions.ReasoningEffortLevel; until the
/// call path moves to it, this policy still writes the property). The properties are
/// set for the call's async flow (<see cref="Use"/>) by <see cref="SdkChatModel"/>; requests
/// without them pass through untouched. Drop this once the SDK has the option.
/// </summary>
public sealed class ExtraBodyPolicy : PipelinePolicy
{
    public static readonly ExtraBodyPolicy Instance = new();

    private static readonly AsyncLocal<IReadOnlyDictionary<string, string>?> Current = new();

    /// <summary>Sets the extra string properties for requests sent from this async flow until the scope is disposed.</summary>
    public static IDisposable Use(IReadOnlyDictionary<string, string>? properties)
    {
        var previous = Current.Value;
        Current.Value = properties is { Count: > 0 } ? properties : null;
        return new Scope(previous);
    }

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Rewrite(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Rewrite(message);
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
    }

    private static void Rewrite(PipelineMessage message)
    {
        if (Current.Value is not { } extra || message.Request.Content is not { } content)
        {
            return;
        }

        using var buffer = new MemoryStream();
        content.WriteTo(buffer);
        if (JsonNode.Parse(buffer.ToArray()) is not JsonObject body)
        {
            return;
        }

        foreach (var (name, value) in extra)
        {
            body[name] = value;
        }

        message.Request.Content = BinaryContent.Create(BinaryData.FromString(body.ToJsonString()));
    }

    private sealed class Scope(IReadOnlyDictionary<string, string>? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
