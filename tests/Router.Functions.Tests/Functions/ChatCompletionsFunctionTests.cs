using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Router.Functions.Tests.Infrastructure;
using Router.Functions.Tests.OpenAi;

namespace Router.Functions.Tests.Functions;

[Collection(SharedServersDefinition.Name)]
public sealed class ChatCompletionsFunctionTests(SharedServers stack)
{
    private const string Ticket = "I was charged twice for my plan this month, please refund one of the payments.";
    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    [Fact]
    public async Task ChatCompletions_OpenAiSdk_AnswersWithDeploymentUsageAndOneLedgerRow()
    {
        var client = SdkClient(stack.Router, "summarize");

        ClientResult<ChatCompletion> result = await client.CompleteChatAsync([new UserChatMessage(Ticket)]);

        var completion = result.Value;
        Assert.Equal("summarize", completion.Model);
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.True(completion.Usage.InputTokenCount > 0 && completion.Usage.OutputTokenCount > 0);
        var raw = result.GetRawResponse();
        Assert.True(raw.Headers.TryGetValue("x-router-route", out var route));
        Assert.Equal("large", route);
        Assert.True(raw.Headers.TryGetValue("x-router-deployment", out var deployment));
        Assert.Equal("gpt-4o", deployment);
        Assert.True(raw.Headers.TryGetValue("x-router-call-id", out var callId));
        Assert.Equal("chatcmpl-" + callId, completion.Id);
        Assert.True(raw.Headers.TryGetValue("x-router-cost-usd", out var cost));

        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(callId!));
        Assert.Equal("chat", row.Api);
        Assert.Equal(completion.Usage.InputTokenCount, row.InputTokens);
        Assert.Equal(completion.Usage.OutputTokenCount, row.OutputTokens);
        Assert.Equal(decimal.Parse(cost!, System.Globalization.CultureInfo.InvariantCulture), row.CostUsd);
        Assert.False(row.Streamed);
    }

    [Fact]
    public async Task ChatCompletions_OpenAiSdkStreaming_StreamsTextAndUsageAndRecordsOnceWithTtft()
    {
        var client = SdkClient(stack.Router, "summarize");
        var marker = "stream-" + Guid.NewGuid().ToString("N");
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        var chunks = 0;
        string? model = null;
        var completionIds = new HashSet<string>();

        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(Ticket + " " + marker)]))
        {
            chunks++;
            model ??= update.Model;
            completionIds.Add(update.CompletionId);
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
        }

        Assert.Equal("summarize", model);
        Assert.True(chunks > 3, $"expected the answer in several chunks, got {chunks}");
        Assert.StartsWith("Summary:", text.ToString(), StringComparison.Ordinal);
        Assert.NotNull(usage);
        Assert.True(usage.InputTokenCount > 0 && usage.OutputTokenCount > 0);

        // The SDK asked for usage (stream_options.include_usage) and the router asked the model for it too.
        var upstream = await LastUpstreamRequestAsync("gpt-4o", marker);
        Assert.True(upstream.GetProperty("stream").GetBoolean());

        // Every chunk carries the same id, "chatcmpl-{callId}": the row is found by that call id, nothing else.
        var completionId = Assert.Single(completionIds);
        Assert.StartsWith("chatcmpl-", completionId, StringComparison.Ordinal);
        var callId = completionId["chatcmpl-".Length..];
        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(callId));
        Assert.Equal(callId, row.CallId);
        Assert.True(row.Streamed);
        Assert.Equal("chat", row.Api);
        Assert.Equal("summarize", row.Task);
        Assert.Equal(usage.InputTokenCount, row.InputTokens);
        Assert.Equal(usage.OutputTokenCount, row.OutputTokens);
        Assert.Equal("ok", row.Status);
        Assert.False(row.UsageEstimated);
        Assert.NotNull(row.TimeToFirstTokenMs);
        Assert.True(row.TimeToFirstTokenMs <= row.UpstreamMs);
        Assert.Equal(((usage.InputTokenCount * 2.50m) + (usage.OutputTokenCount * 10.00m)) / 1_000_000m, row.CostUsd);
    }

    [Fact]
    public async Task ChatCompletions_StreamingSmallTaskWithLabels_SendsOneCheckedAnswer()
    {
        var client = SdkClient(stack.Router, "ticket-triage");
        var text = new StringBuilder();
        var updates = 0;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("A billing question: I was charged twice.")]))
        {
            updates += update.ContentUpdate.Count(p => p.Text.Length > 0);
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal("billing", text.ToString());
        Assert.Equal(1, updates);
    }

    [Fact]
    public async Task ChatCompletions_Metadata_RecordedOnTheCallRowAndNotSentUpstream()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var marker = "metadata-" + Guid.NewGuid().ToString("N");
        using var response = await http.PostAsJsonAsync("api/v1/chat/completions", new
        {
            model = "summarize",
            metadata = new Dictionary<string, string> { ["team"] = "search", ["feature"] = marker },
            messages = new[] { new { role = "user", content = Ticket + " " + marker } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await LastUpstreamRequestAsync("gpt-4o", marker)).GetProperty("parameters").TryGetProperty("metadata", out _));
        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(response.Headers.GetValues("x-router-call-id").Single()));
        Assert.Equal(new Dictionary<string, string> { ["team"] = "search", ["feature"] = marker }, row.Metadata);
    }

    [Fact]
    public async Task ChatCompletions_CallerSystemMessage_KeptAfterTaskPromptAsCallerInput()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var marker = "caller-system-" + Guid.NewGuid().ToString("N");
        using var response = await http.PostAsJsonAsync("api/v1/chat/completions", new
        {
            model = "summarize",
            messages = new object[] { new { role = "system", content = "Be brief. " + marker }, new { role = "user", content = Ticket } },
        });
        response.EnsureSuccessStatusCode();

        var messages = (await LastUpstreamRequestAsync("gpt-4o", marker)).GetProperty("messages").EnumerateArray().ToList();
        Assert.Contains("Summarize the user's text", messages[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("system", messages[^2].GetProperty("role").GetString());
        Assert.Contains(marker, messages[^2].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(Ticket, messages[^1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task ChatCompletions_ResponsesAndEveryChunk_ValidateAgainstOpenAiSpec()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using (var response = await http.PostAsJsonAsync("api/v1/chat/completions", new { model = "summarize", messages = new[] { new { role = "user", content = Ticket } } }))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            OpenAiSpec.AssertValid(OpenAiSpec.ChatCompletion, await response.Content.ReadAsStringAsync());
        }

        foreach (var task in (string[])["summarize", "ticket-triage"])
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/chat/completions")
            {
                Content = JsonContent.Create(new { model = task, stream = true, stream_options = new { include_usage = true }, messages = new[] { new { role = "user", content = Ticket } } }),
            };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var events = await SseEvents.ReadAllAsync(response);
            Assert.Equal("[DONE]", events[^1]);
            Assert.True(events.Count >= 4);
            foreach (var data in events.SkipLast(1))
            {
                OpenAiSpec.AssertValid(OpenAiSpec.ChatCompletionChunk, data);
            }

            using var last = JsonDocument.Parse(events[^2]);
            Assert.Equal(0, last.RootElement.GetProperty("choices").GetArrayLength());
            Assert.True(last.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        }

        using (var models = await http.GetAsync("api/v1/models"))
        {
            Assert.Equal(HttpStatusCode.OK, models.StatusCode);
            OpenAiSpec.AssertValid(OpenAiSpec.ModelList, await models.Content.ReadAsStringAsync());
        }

        using (var unknown = await http.PostAsJsonAsync("api/v1/chat/completions", new { model = "no-such-task", messages = new[] { new { role = "user", content = "x" } } }))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            OpenAiSpec.AssertValid(OpenAiSpec.Error, await unknown.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task ChatCompletions_StreamWithoutIncludeUsage_SendsNoUsageChunkToClient()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "summarize", stream = true, messages = new[] { new { role = "user", content = Ticket } } }),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = await SseEvents.ReadAllAsync(response);

        Assert.Equal("[DONE]", events[^1]);
        Assert.All(events.SkipLast(1), e => Assert.DoesNotContain("\"usage\"", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Models_ListsEveryTaskAsModel()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var body = await http.GetFromJsonAsync<JsonElement>("api/v1/models");

        var ids = body.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(["contract-qa", "invoice-extract", "summarize", "ticket-triage"], ids);
    }

    [Fact]
    public async Task Model_KnownTask_AnswersOneModelObject()
    {
        var models = new OpenAI.Models.OpenAIModelClient(new ApiKeyCredential(RouterServer.CallerKey), new OpenAIClientOptions { Endpoint = new Uri(stack.Router.Address, "api/v1") });

        var model = (await models.GetModelAsync("invoice-extract")).Value;

        Assert.Equal("invoice-extract", model.Id);
        Assert.Equal("router", model.OwnedBy);
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var unknown = await http.GetAsync("api/v1/models/no-such-task");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var body = await unknown.Content.ReadAsStringAsync();
        OpenAiSpec.AssertValid(OpenAiSpec.Error, body);
        Assert.Equal("model_not_found", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("GET", "api/v1/no-such-endpoint")]
    [InlineData("POST", "api/v1/embeddings")]
    [InlineData("GET", "api/v1/chat/completions")]
    [InlineData("DELETE", "api/v1/models/summarize")]
    public async Task OpenAiPaths_UnknownRouteOrMethod_Answers404InOpenAiEnvelope(string method, string path)
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        OpenAiSpec.AssertValid(OpenAiSpec.Error, body);
        Assert.Contains(method + " /" + path, JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_UnknownTask_Answers404ModelNotFoundInOpenAiEnvelope()
    {
        var client = SdkClient(stack.Router, "no-such-task");
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hello")]));

        Assert.Equal(404, failure.Status);
        using var body = JsonDocument.Parse(failure.GetRawResponse()!.Content.ToString());
        Assert.Equal("model_not_found", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("model", body.RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Theory]
    [InlineData(null, 401, "invalid_api_key")]
    [InlineData("wrong-key", 401, "invalid_api_key")]
    public async Task ChatCompletions_BadKey_Answers401InOpenAiEnvelope(string? key, int status, string code)
    {
        using var http = stack.Router.CreateClient(key);
        using var response = await http.PostAsJsonAsync("api/v1/chat/completions", new { model = "summarize", messages = new[] { new { role = "user", content = "x" } } });

        Assert.Equal(status, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        OpenAiSpec.AssertValid(OpenAiSpec.Error, body);
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ChatCompletions_ApiKeyHeader_IsAccepted()
    {
        using var http = stack.Router.CreateClient(null);
        http.DefaultRequestHeaders.Add("api-key", RouterServer.CallerKey);
        using var response = await http.GetAsync("api/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal static ChatClient SdkClient(RouterServer router, string task) =>
        new(task, new ApiKeyCredential(RouterServer.CallerKey), new OpenAIClientOptions { Endpoint = new Uri(router.Address, "api/v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    private async Task<JsonElement> LastUpstreamRequestAsync(string deployment, string marker)
    {
        var log = await stack.Emulator.Control.GetFromJsonAsync<JsonElement>($"emulator/requests?deployment={deployment}");
        var requests = log.ValueKind == JsonValueKind.Array ? log : log.GetProperty("requests");
        foreach (var request in requests.EnumerateArray().Reverse())
        {
            if (request.GetProperty("messages").GetRawText().Contains(marker, StringComparison.Ordinal))
            {
                return request;
            }
        }

        throw new Xunit.Sdk.XunitException($"The emulator saw no request for {deployment} containing the marker.");
    }
}
