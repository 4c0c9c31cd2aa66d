using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.AI.OpenAI;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using Router.Emulator;
using Router.Emulator.Options;
using Router.Functions.Tests.Infrastructure;

namespace Router.Emulator.Tests;

/// <summary>An emulator on real Kestrel at a free port, with the real SDK clients pointed at it.</summary>
public sealed class RunningEmulator : IAsyncDisposable
{
    public const string Key = "test-key";

    private readonly WebApplication _app;

    private RunningEmulator(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        #pragma warning disable RS0030 // A test's own client to a local test server, owned and disposed with it: not one per call, no DNS to refresh.
        Http = new HttpClient { BaseAddress = baseUrl };
        #pragma warning restore RS0030
    }

    public Uri BaseUrl { get; }

    /// <summary>Raw client for headers and the control API; sends no key by itself.</summary>
    public HttpClient Http { get; }

    public static async Task<RunningEmulator> StartAsync(Action<EmulatorOptions>? configure = null, params string[] extraArgs)
    {
        var (app, address) = await EmulatorStart.StartAsync(extraArgs, options =>
        {
            options.ApiKey = Key;
            options.LatencyScale = 0;
            configure?.Invoke(options);
        });
        return new RunningEmulator(app, address);
    }

    /// <summary>Azure OpenAI client; SDK retries off so faults surface instead of being retried away.</summary>
    public ChatClient AzureChat(string deployment, string key = Key) =>
        new AzureOpenAIClient(BaseUrl, new ApiKeyCredential(key), new AzureOpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(0) })
            .GetChatClient(deployment);

    /// <summary>OpenAI client on the /v1 surface; SDK retries off for the same reason.</summary>
    public ChatClient OpenAIChat(string model, string key = Key) =>
        new(model, new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(BaseUrl, "/v1"),
            RetryPolicy = new ClientRetryPolicy(0),
        });

    public async Task SetFaultAsync(string deployment, object fault)
    {
        using var response = await Http.PutAsJsonAsync(new Uri($"/emulator/faults/{deployment}", UriKind.Relative), fault);
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A raw Azure-format chat call, for tests that must see status codes and headers.</summary>
    public Task<HttpResponseMessage> PostAzureAsync(string deployment, string body, Action<HttpRequestMessage>? customize = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/openai/deployments/{deployment}/chat/completions?api-version=2024-10-21", UriKind.Relative))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("api-key", Key);
        customize?.Invoke(request);
        return SendAndDisposeAsync(request, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<HttpResponseMessage> SendAndDisposeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            return await Http.SendAsync(request, cancellationToken);
        }
    }
}
