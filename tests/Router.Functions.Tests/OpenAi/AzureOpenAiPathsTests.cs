using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.AI.OpenAI;
using OpenAI;
using OpenAI.Chat;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.OpenAi;

/// <summary>
/// Azure OpenAI's paths on Router: AzureOpenAIClient (Azure.AI.OpenAI 2.9.0-beta.1 on OpenAI 2.15.0) pointed at Router with
/// a task as the deployment, plain and streamed; the v1 layout with the OpenAI SDK; api-version
/// checks; Azure's error words. Every body validates against OpenAI's spec.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class AzureOpenAiPathsTests(SharedServers stack)
{
    private const string Text = "Please summarize: the quarterly review showed revenue of $4.2M, up 12% on last year.";
    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    [Fact]
    public async Task AzureOpenAIClient_TaskAsDeployment_AnswersWithUsageAndOneExactLedgerRow()
    {
        var chat = AzureClient().GetChatClient("summarize");

        ClientResult<ChatCompletion> result = await chat.CompleteChatAsync([new UserChatMessage(Text)]);

        var completion = result.Value;
        Assert.Equal("summarize", completion.Model);
        Assert.StartsWith("Summary:", completion.Content[0].Text, StringComparison.Ordinal);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-router-call-id", out var callId));
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-router-deployment", out var deployment));
        Assert.Equal("gpt-4o", deployment);
        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(callId!));
        Assert.Equal("summarize", row.Task);
        AssertBilledAsUsage(row, completion.Usage);
    }

    [Fact]
    public async Task AzureOpenAIClient_Streaming_StreamsTextAndUsageAndOneLedgerRow()
    {
        var chat = AzureClient().GetChatClient("summarize");
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        var ids = new HashSet<string>();
        var models = new HashSet<string>();

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(Text)]))
        {
            ids.Add(update.CompletionId);
            models.Add(update.Model);
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            usage = update.Usage ?? usage;
        }

        Assert.StartsWith("Summary:", text.ToString(), StringComparison.Ordinal);
        Assert.Equal("summarize", Assert.Single(models));
        Assert.NotNull(usage);
        var callId = Assert.Single(ids)["chatcmpl-".Length..];
        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(callId));
        Assert.True(row.Streamed);
        Assert.Equal("summarize", row.Task);
        AssertBilledAsUsage(row, usage);
    }

    [Fact]
    public async Task AzureV1Layout_OpenAiSdk_AnswersAndListsModels()
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(stack.Router.Address, "api/openai/v1"), RetryPolicy = new ClientRetryPolicy(0) };
        var chat = new ChatClient("ticket-triage", new ApiKeyCredential(RouterServer.CallerKey), options);

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("I was charged twice: a billing error.")]);

        Assert.Equal("billing", completion.Content[0].Text);
        using var http = stack.Router.CreateClient(null);
        http.DefaultRequestHeaders.Add("api-key", RouterServer.CallerKey);
        using var models = await http.GetAsync("api/openai/v1/models");
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        var body = await models.Content.ReadAsStringAsync();
        OpenAiSpec.AssertValid(OpenAiSpec.ModelList, body);
        Assert.Contains("\"ticket-triage\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "api-version", "missing_required_parameter")]
    [InlineData("?api-version=1999-01-01", "api-version", "invalid_value")]
    public async Task AzureDeploymentPath_MissingOrUnknownApiVersion_Answers400NamingIt(string query, string param, string code)
    {
        using var response = await PostAzureAsync("api/openai/deployments/summarize/chat/completions" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains("2024-10-21", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "missing_required_parameter")]
    [InlineData("?api-version=1999-01-01", "invalid_value")]
    public async Task AzureDatedResponsesPath_MissingOrUnknownApiVersion_Answers400NamingItBeforeAnyModelCall(string query, string code)
    {
        var marker = "dated-responses-" + Guid.NewGuid().ToString("N");
        using var http = stack.Router.CreateClient(null);
        http.DefaultRequestHeaders.Add("api-key", RouterServer.CallerKey);

        using var response = await http.PostAsJsonAsync("api/openai/responses" + query, new { model = "summarize", input = "Please summarize: " + marker });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal("api-version", error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Empty(await EmulatorRequests.WithMarkerAsync(stack.Emulator, marker));
    }

    [Fact]
    public async Task AzureDatedResponsesPath_ApiKeyAndAcceptedVersion_AnswersSpecValidResponse()
    {
        using var http = stack.Router.CreateClient(null);
        http.DefaultRequestHeaders.Add("api-key", RouterServer.CallerKey);

        using var response = await http.PostAsJsonAsync("api/openai/responses?api-version=2025-04-01-preview", new { model = "summarize", input = Text });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        OpenAiSpec.AssertValid(OpenAiSpec.Response, body);
        Assert.Equal("summarize", JsonDocument.Parse(body).RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task AzureDeploymentPath_UnknownDeployment_Answers404DeploymentNotFound()
    {
        using var response = await PostAzureAsync("api/openai/deployments/no-such-task/chat/completions?api-version=2024-10-21");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("DeploymentNotFound", (await ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AzureDeploymentPath_BodyModel_DeploymentWins()
    {
        using var response = await PostAzureAsync("api/openai/deployments/ticket-triage/chat/completions?api-version=2024-06-01", model: "summarize");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        OpenAiSpec.AssertValid(OpenAiSpec.ChatCompletion, body);
        Assert.Equal("ticket-triage", JsonDocument.Parse(body).RootElement.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("GET", "api/openai/deployments/summarize/chat/completions?api-version=2024-10-21")]
    [InlineData("POST", "api/openai/deployments/summarize/embeddings?api-version=2024-10-21")]
    [InlineData("GET", "api/openai/v1/no-such-endpoint")]
    public async Task AzurePaths_UnknownRouteOrMethod_Answers404InEnvelope(string method, string path)
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("404", (await ErrorAsync(response)).GetProperty("code").GetString());
    }

    /// <summary>The row holds the usage the client read (which the emulator returned) and costs it at gpt-4o's sheet.</summary>
    private static void AssertBilledAsUsage(Router.Core.Ledger.CallRecord row, ChatTokenUsage usage)
    {
        Assert.Equal("chat", row.Api);
        Assert.Equal(usage.InputTokenCount, row.InputTokens);
        Assert.Equal(usage.OutputTokenCount, row.OutputTokens);
        Assert.Equal(usage.InputTokenDetails?.CachedTokenCount ?? 0, row.CachedInputTokens);
        var uncached = row.InputTokens - row.CachedInputTokens;
        Assert.Equal(((uncached * 2.50m) + (row.CachedInputTokens * 1.25m) + (row.OutputTokens * 10.00m)) / 1_000_000m, row.CostUsd);
    }

    private AzureOpenAIClient AzureClient() =>
        new(new Uri(stack.Router.Address, "api/"), new ApiKeyCredential(RouterServer.CallerKey), new AzureOpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(0) });

    private async Task<HttpResponseMessage> PostAzureAsync(string path, string? model = null)
    {
        using var http = stack.Router.CreateClient(null);
        http.DefaultRequestHeaders.Add("api-key", RouterServer.CallerKey);
        object body = model is null
            ? new { messages = new[] { new { role = "user", content = "I was charged twice." } } }
            : new { model, messages = new[] { new { role = "user", content = "I was charged twice." } } };
        return await http.PostAsJsonAsync(path, body);
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        OpenAiSpec.AssertValid(OpenAiSpec.Error, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("error").Clone();
    }
}
