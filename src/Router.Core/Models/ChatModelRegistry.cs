using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using Azure.Identity;
using OpenAI;
using OpenAI.Chat;
using Router.Core.Catalog;

namespace Router.Core.Models;

/// <summary>
/// One <see cref="IChatModel"/> per deployment of the price sheet, built once. Each uses
/// its own named HttpClient, whose Microsoft.Extensions.Http.Resilience pipeline does the
/// retries (honouring Retry-After), attempt timeouts and the per-deployment circuit
/// breaker; the SDK's own retry policy is switched off so attempts are never multiplied.
/// A local classifier is served in-process instead (Classifier/LocalClassifierChatModel).
/// </summary>
public sealed class ChatModelRegistry
{
    public const string HttpClientPrefix = "router-model-";

    private readonly Dictionary<string, IChatModel> _models = new(StringComparer.OrdinalIgnoreCase);

    public ChatModelRegistry(TaskCatalog catalog, IHttpClientFactory httpClients, Classifier.LocalClassifiers classifiers)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(httpClients);
        foreach (var model in catalog.Models)
        {
            if (model.IsLocalClassifier)
            {
                _models[model.Name] = new Classifier.LocalClassifierChatModel(model.Name, classifiers);
                continue;
            }

            var primary = new SdkChatModel(model.Name, CreateChatClient(model, httpClients.CreateClient(BackendFailover.HttpClientName(model.Name, null))), ChatWire.For(model));
            if (model.Backends.Count == 0)
            {
                _models[model.Name] = primary;
                continue;
            }

            IChatModel[] backends = [primary, .. model.Backends.Select(b => new SdkChatModel(model.Name, CreateChatClient(b, httpClients.CreateClient(BackendFailover.HttpClientName(model.Name, b.BackendIndex))), ChatWire.For(b)))];
            _models[model.Name] = new FailoverChatModel(model.Name, backends);
        }
    }

    private ChatModelRegistry(IEnumerable<IChatModel> models)
    {
        foreach (var model in models)
        {
            _models[model.Name] = model;
        }
    }

    /// <summary>A registry of given models (an in-memory model in a unit test, say); the app builds its own from the catalog.</summary>
    public static ChatModelRegistry Of(params IEnumerable<IChatModel> models) => new(models);

    public IChatModel Get(string name) =>
        _models.TryGetValue(name, out var model) ? model : throw new KeyNotFoundException($"No model '{name}' in the price sheet.");

    internal static ChatClient CreateChatClient(CatalogModel model, HttpClient http)
    {
        var transport = new HttpClientPipelineTransport(http);
        if (model.Kind == ModelKind.AzureOpenAI)
        {
            // The api-version is pinned, not the SDK's default, so an SDK upgrade never moves the wire silently;
            // 2025-04-01-preview carries everything forwarded (reasoning_effort needs 2024-12-01-preview or later).
            var options = new AzureOpenAIClientOptions(AzureOpenAIClientOptions.ServiceVersion.V2025_04_01_Preview) { Transport = transport, RetryPolicy = new ClientRetryPolicy(0), NetworkTimeout = Timeout.InfiniteTimeSpan, ClientLoggingOptions = NoSdkLogging() };
            var client = model.UsesManagedIdentity
                ? new AzureOpenAIClient(model.Endpoint, CredentialFor(model), options)
                : new AzureOpenAIClient(model.Endpoint, new ApiKeyCredential(model.ApiKey!), options);
            return client.GetChatClient(model.Deployment);
        }

        var openAiOptions = new OpenAIClientOptions { Endpoint = model.Endpoint, Transport = transport, RetryPolicy = new ClientRetryPolicy(0), NetworkTimeout = Timeout.InfiniteTimeSpan, ClientLoggingOptions = NoSdkLogging() };
        return new ChatClient(model.Deployment, new ApiKeyCredential(model.ApiKey ?? "none"), openAiOptions);
    }

    /// <summary>
    /// No per-call logging policy in the SDK pipeline (issue 11: the profile showed System.ClientModel's
    /// message logging on every call). Calls are observed once, by the flow's own telemetry and the ledger.
    /// </summary>
    private static ClientLoggingOptions NoSdkLogging() => new() { EnableLogging = false, EnableMessageLogging = false };

    private static TokenCredential CredentialFor(CatalogModel model) =>
        model.ManagedIdentityClientId is { } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
}
