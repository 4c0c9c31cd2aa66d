using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI.Chat;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;
using Router.Functions.Tests.OpenAi;
using Router.Functions.Tests.Resilience;

namespace Router.Functions.Tests.Functions;

/// <summary>
/// Chat completions with the caller's tools and structured outputs, through the real OpenAI .NET SDK
/// (as LangChain's bindTools / withStructuredOutput send them): a tool call and its follow-up, a streamed
/// tool call rebuilt from its deltas, a json_schema answer parsed back, the shapes valid against OpenAI's
/// spec, the task's instructions still first, and one ledger row per model call priced from its usage.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class ChatCompletionsToolsTests(SharedServers stack)
{
    private const string WeatherQuestion = "What is the weather in Paris right now?";
    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    private static ChatTool Weather { get; } = ChatTool.CreateFunctionTool(
        "get_weather",
        "Current weather for a city",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}"""),
        functionSchemaIsStrict: true);

    [Fact]
    public async Task ChatCompletions_OpenAiSdkToolRoundTrip_CallsToolThenAnswersAndRecordsOneRowPerCall()
    {
        var client = ChatCompletionsFunctionTests.SdkClient(stack.Router, "summarize");
        var marker = "tools-" + Guid.NewGuid().ToString("N");
        var options = new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateAutoChoice() };
        List<ChatMessage> conversation = [new UserChatMessage(WeatherQuestion + " " + marker)];

        ClientResult<ChatCompletion> first = await client.CompleteChatAsync(conversation, options);

        var call = first.Value;
        Assert.Equal(ChatFinishReason.ToolCalls, call.FinishReason);
        var toolCall = Assert.Single(call.ToolCalls);
        Assert.Equal("get_weather", toolCall.FunctionName);
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(toolCall.FunctionArguments.ToString()).RootElement.GetProperty("city").ValueKind);
        Assert.Equal("summarize", call.Model);

        // Upstream: the task's instructions first, the tools and the choice as the caller gave them.
        var upstream = await EmulatorRequests.SingleWithMarkerAsync(stack.Emulator, marker);
        Assert.Contains("Summarize the user's text", upstream.GetProperty("messages")[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        var tool = Assert.Single(upstream.GetProperty("parameters").GetProperty("tools").EnumerateArray());
        Assert.Equal("get_weather", tool.GetProperty("function").GetProperty("name").GetString());
        Assert.True(tool.GetProperty("function").GetProperty("strict").GetBoolean());
        Assert.Equal("auto", upstream.GetProperty("parameters").GetProperty("tool_choice").GetString());

        conversation.Add(new AssistantChatMessage(call));
        conversation.Add(new ToolChatMessage(toolCall.Id, """{"celsius":18,"sky":"sunny"}"""));
        ClientResult<ChatCompletion> second = await client.CompleteChatAsync(conversation, options);

        var answer = second.Value;
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.Empty(answer.ToolCalls);
        Assert.False(string.IsNullOrWhiteSpace(answer.Content[0].Text));
        var followUp = (await EmulatorRequests.WithMarkerAsync(stack.Emulator, marker))[^1].GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["assistant", "tool"], followUp.TakeLast(2).Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(toolCall.Id, followUp[^1].GetProperty("tool_call_id").GetString());

        var callRow = await AssertOneRowAsync(first.GetRawResponse(), call.Usage, streamed: false);
        Assert.Null(callRow.OutputViolation);
        await AssertOneRowAsync(second.GetRawResponse(), answer.Usage, streamed: false);
    }

    [Theory]
    [InlineData("ticket-triage", "small")]
    [InlineData("invoice-extract", "large")]
    public async Task ChatCompletions_ToolCallOnTaskWithOutputRule_IsNotCheckedAsTheAnswer(string task, string route)
    {
        // ticket-triage answers labels on a cascading small route, invoice-extract JSON: a tool call is neither,
        // and is not the final answer, so it is served from the task's own route, unflagged, in one row.
        var client = ChatCompletionsFunctionTests.SdkClient(stack.Router, task);
        var options = new ChatCompletionOptions { Tools = { Weather } };

        ClientResult<ChatCompletion> result = await client.CompleteChatAsync([new UserChatMessage(WeatherQuestion + " " + Guid.NewGuid().ToString("N"))], options);

        Assert.Equal(ChatFinishReason.ToolCalls, result.Value.FinishReason);
        var raw = result.GetRawResponse();
        Assert.Equal(route, raw.Headers.TryGetValue("x-router-route", out var served) ? served : null);
        Assert.True(raw.Headers.TryGetValue("x-router-call-id", out var callId));
        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(callId!));
        Assert.Null(row.OutputViolation);
        Assert.False(row.Fallback);
        Assert.Equal(result.Value.Usage.OutputTokenCount, row.OutputTokens);
    }

    [Fact]
    public async Task ChatCompletions_OpenAiSdkStreamedToolCall_SendsToolCallDeltasAndRecordsOnce()
    {
        var client = ChatCompletionsFunctionTests.SdkClient(stack.Router, "summarize");
        var options = new ChatCompletionOptions { Tools = { Weather } };
        string? id = null, name = null, completionId = null;
        var arguments = new StringBuilder();
        var argumentUpdates = 0;
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;

        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(WeatherQuestion + " " + Guid.NewGuid().ToString("N"))], options))
        {
            completionId ??= update.CompletionId;
            foreach (var piece in update.ToolCallUpdates)
            {
                Assert.Equal(0, piece.Index);
                id ??= piece.ToolCallId;
                name ??= piece.FunctionName;
                if (piece.FunctionArgumentsUpdate is { } fragment && !fragment.ToMemory().IsEmpty)
                {
                    arguments.Append(fragment.ToString());
                    argumentUpdates++;
                }
            }

            finish = update.FinishReason ?? finish;
            usage = update.Usage ?? usage;
        }

        Assert.Equal("get_weather", name);
        Assert.StartsWith("call_", id, StringComparison.Ordinal);
        Assert.True(argumentUpdates >= 1);
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(arguments.ToString()).RootElement.GetProperty("city").ValueKind);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.NotNull(usage);

        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(completionId!["chatcmpl-".Length..]));
        Assert.True(row.Streamed);
        Assert.Null(row.OutputViolation);
        Assert.Equal(usage.InputTokenCount, row.InputTokens);
        Assert.Equal(usage.OutputTokenCount, row.OutputTokens);
        Assert.Equal(GptFourOCost(row), row.CostUsd);
    }

    [Fact]
    public async Task ChatCompletions_OpenAiSdkJsonSchema_GoesUpstreamAsStructuredOutputAndParsesBack()
    {
        var client = ChatCompletionsFunctionTests.SdkClient(stack.Router, "summarize");
        var marker = "schema-" + Guid.NewGuid().ToString("N");
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(
                "digest",
                BinaryData.FromString("""{"type":"object","properties":{"headline":{"type":"string"},"sentences":{"type":"integer","minimum":1,"maximum":3}},"required":["headline","sentences"],"additionalProperties":false}"""),
                jsonSchemaIsStrict: true),
        };

        ClientResult<ChatCompletion> result = await client.CompleteChatAsync([new UserChatMessage("Please summarize: revenue rose 12% and churn fell. " + marker)], options);

        using var parsed = JsonDocument.Parse(result.Value.Content[0].Text);
        Assert.InRange(parsed.RootElement.GetProperty("sentences").GetInt32(), 1, 3);
        Assert.Equal(JsonValueKind.String, parsed.RootElement.GetProperty("headline").ValueKind);
        var format = (await EmulatorRequests.SingleWithMarkerAsync(stack.Emulator, marker)).GetProperty("parameters").GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("digest", format.GetProperty("json_schema").GetProperty("name").GetString());
        var row = await AssertOneRowAsync(result.GetRawResponse(), result.Value.Usage, streamed: false);
        Assert.Null(row.OutputViolation);
    }

    [Fact]
    public async Task ChatCompletions_CallerSchemaTheSmallAnswerBreaks_EscalatesToLargeRecordedOncePerModelCall()
    {
        var faulty = new FaultyDeployments(stack);
        faulty.Settings["Router:Tasks:summarize:Route"] = "small";
        faulty.Settings["Router:Tasks:summarize:CascadeToLarge"] = "true";
        await using var router = await RouterServer.StartAsync(faulty.Settings);
        await faulty.ArmAsync(faulty.Small, new { kind = "off-schema", count = 1 });
        var client = ChatCompletionsFunctionTests.SdkClient(router, "summarize");
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(
                "digest",
                BinaryData.FromString("""{"type":"object","properties":{"headline":{"type":"string"}},"required":["headline"],"additionalProperties":false}"""),
                jsonSchemaIsStrict: true),
        };

        ClientResult<ChatCompletion> result = await client.CompleteChatAsync([new UserChatMessage("Please summarize: the office moves to Leeds in May.")], options);

        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(result.Value.Content[0].Text).RootElement.GetProperty("headline").ValueKind);
        var raw = result.GetRawResponse();
        Assert.Equal("large", raw.Headers.TryGetValue("x-router-route", out var route) ? route : null);
        Assert.True(raw.Headers.TryGetValue("x-router-call-id", out var callId));
        await router.DrainAsync();
        var rows = await _ledger.WaitForRequestAsync(callId!, expected: 2);
        Assert.Equal(2, rows.Count);
        var small = Assert.Single(rows, r => r.CallId == callId + "-small");
        Assert.Equal("escalated", small.Status);
        Assert.Equal("output does not match the caller's JSON schema", small.FallbackReason);
        Assert.Equal(((small.InputTokens * 0.30m) + (small.OutputTokens * 1.20m)) / 1_000_000m, small.CostUsd);
        var large = Assert.Single(rows, r => r.CallId == callId);
        Assert.True(large.Fallback);
        Assert.Null(large.OutputViolation);
        Assert.Equal(result.Value.Usage.OutputTokenCount, large.OutputTokens);
        Assert.Equal(GptFourOCost(large), large.CostUsd);
    }

    [Fact]
    public async Task ChatCompletions_ToolCallAnswerAndChunks_ValidateAgainstOpenAiSpec()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var tools = new[] { new { type = "function", function = new { name = "get_weather", parameters = new { type = "object", properties = new { city = new { type = "string" } } } } } };
        using (var response = await http.PostAsJsonAsync("api/v1/chat/completions", new { model = "summarize", tools, messages = new[] { new { role = "user", content = WeatherQuestion } } }))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            OpenAiSpec.AssertValid(OpenAiSpec.ChatCompletion, body);
            var message = JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message");
            Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
            Assert.Equal("function", message.GetProperty("tool_calls")[0].GetProperty("type").GetString());
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "summarize", tools, stream = true, messages = new[] { new { role = "user", content = WeatherQuestion } } }),
        };
        using var streamed = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = await SseEvents.ReadAllAsync(streamed);
        Assert.Equal("[DONE]", events[^1]);
        foreach (var data in events.SkipLast(1))
        {
            OpenAiSpec.AssertValid(OpenAiSpec.ChatCompletionChunk, data);
        }

        Assert.Contains(events, e => e.Contains("\"tool_calls\":[{\"index\":0,\"id\":\"call_", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Contains("\"finish_reason\":\"tool_calls\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("invoice-extract", """{"type":"json_object"}""", 200, null)]
    [InlineData("ticket-triage", """{"type":"json_object"}""", 400, "response_format")]
    [InlineData("summarize", """{"type":"json_schema","json_schema":{"name":"d","schema":{"type":"object","minProperties":"two"},"strict":true}}""", 400, "response_format.json_schema.schema")]
    [InlineData("summarize", """{"type":"json_schema"}""", 400, "response_format.json_schema")]
    [InlineData("summarize", """{"type":"text"}""", 200, null)]
    public async Task ChatCompletions_ResponseFormat_AcceptedWhereTheTaskCanKeepItElseRefusedNamingIt(string task, string format, int status, string? param)
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var body = $$"""{"model":"{{task}}","response_format":{{format}},"messages":[{"role":"user","content":"Invoice INV-7 from Acme: total 120.50 EUR, due in May."}]}""";
        using var response = await http.PostAsync("api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        if (param is not null)
        {
            Assert.Equal(param, JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("param").GetString());
        }
        else if (task == "invoice-extract")
        {
            var content = JsonDocument.Parse(text).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(content).RootElement.ValueKind);
        }
    }

    [Theory]
    [InlineData("""[{"role":"user","content":"x"},{"role":"tool","tool_call_id":"call_9","content":"18C"}]""", "messages[1].tool_call_id")]
    [InlineData("""[{"role":"user","content":"x"},{"role":"tool","content":"18C"}]""", "messages[1].tool_call_id")]
    [InlineData("""[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f"}}]}]""", "messages[1].tool_calls[0].function.arguments")]
    [InlineData("""[{"role":"user","content":"x","tool_calls":[]}]""", "messages[0].tool_calls")]
    [InlineData("""[{"role":"user","content":[{"type":"image_url","image_url":{"url":"http://x"}}]}]""", "messages[0].content[0].type")]
    public async Task ChatCompletions_BadToolMessages_AreRefusedNamingTheField(string messages, string param)
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var body = $$"""{"model":"summarize","messages":{{messages}}}""";
        using var response = await http.PostAsync("api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"got {(int)response.StatusCode}: {text}");
        Assert.Equal(param, JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    private static decimal GptFourOCost(CallRecord row) =>
        (((row.InputTokens - row.CachedInputTokens) * 2.50m) + (row.CachedInputTokens * 1.25m) + (row.OutputTokens * 10.00m)) / 1_000_000m;

    /// <summary>Exactly one row for the call the response names, billed with the usage the client got, priced at gpt-4o's sheet.</summary>
    private async Task<CallRecord> AssertOneRowAsync(System.ClientModel.Primitives.PipelineResponse raw, ChatTokenUsage usage, bool streamed)
    {
        Assert.True(raw.Headers.TryGetValue("x-router-call-id", out var callId));
        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(callId!));
        Assert.Equal("chat", row.Api);
        Assert.Equal(streamed, row.Streamed);
        Assert.Equal(usage.InputTokenCount, row.InputTokens);
        Assert.Equal(usage.OutputTokenCount, row.OutputTokens);
        Assert.Equal(GptFourOCost(row), row.CostUsd);
        return row;
    }
}
