using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Responses;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;

#pragma warning disable OPENAI001 // The Responses client is marked experimental in OpenAI 2.15.

namespace Router.Functions.Tests.OpenAi;

/// <summary>
/// Microsoft.Extensions.AI's <see cref="IChatClient"/> (Microsoft.Extensions.AI.OpenAI 10.11.0, what Semantic
/// Kernel and the .NET agent frameworks call) over the OpenAI SDK's chat and Responses clients pointed at the
/// router: a plain answer, a streamed one (chat), a tool round trip (call, FunctionResultContent, answer), and a
/// json_schema format as the library writes it from a type (nullable types, $schema). Usage comes back and
/// every model call is one ledger row with that usage and cost = tokens x prices.
/// Not here: streaming over the Responses client, which the adapter (built on OpenAI 2.14.0) cannot do
/// beside OpenAI 2.15.0 (MissingMethodException in the library, before any request).
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class ExtensionsAiClientTests(SharedServers stack)
{
    private const string Task = "summarize";
    private const string Text = "Please summarize: the quarterly review showed revenue of $4.2M, up 12% on last year.";
    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);
    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    public static TheoryData<string> Apis() => ["chat", "responses"];

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task GetResponse_ExtensionsAiClient_AnswersWithUsageAndOneExactLedgerRow(string api)
    {
        var response = await Client(api).GetResponseAsync(Text);

        Assert.StartsWith("Summary:", response.Text, StringComparison.Ordinal);
        Assert.Equal(Task, response.ModelId);
        await AssertOneRowAsync(api, response.ResponseId, response.Usage, streamed: false);
    }

    [Fact]
    public async Task GetStreamingResponse_ExtensionsAiChatClient_StreamsTextAndUsageAndOneLedgerRow()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client("chat").GetStreamingResponseAsync(Text))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.True(updates.Count(u => u.Text.Length > 0) > 1, "the text came in one update");
        Assert.StartsWith("Summary:", response.Text, StringComparison.Ordinal);
        await AssertOneRowAsync("chat", response.ResponseId, response.Usage, streamed: true);
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task GetResponse_ExtensionsAiToolRoundTrip_CallsTheToolThenAnswersOneRowPerModelCall(string api)
    {
        var client = Client(api);
        var weather = AIFunctionFactory.Create((string city) => "18 C and sunny", "get_weather", "Current weather for a city");
        var options = new ChatOptions { Tools = [weather] };
        List<ChatMessage> history = [new(ChatRole.User, "What is the weather in Paris right now?")];

        var call = await client.GetResponseAsync(history, options);

        var functionCall = Assert.Single(call.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", functionCall.Name);
        Assert.True(functionCall.Arguments?.ContainsKey("city"), "no city argument");
        // Chat completions say finish_reason tool_calls; a Responses answer has no finish reason (the library leaves it null).
        Assert.Equal(api == "chat" ? ChatFinishReason.ToolCalls : null, call.FinishReason);
        await AssertOneRowAsync(api, call.ResponseId, call.Usage, streamed: false);

        // What a function-invoking client does: the call and its result go back in the history.
        history.AddRange(call.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(functionCall.CallId, "18 C and sunny")]));
        var answer = await client.GetResponseAsync(history, options);

        Assert.False(string.IsNullOrWhiteSpace(answer.Text));
        Assert.Empty(answer.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        await AssertOneRowAsync(api, answer.ResponseId, answer.Usage, streamed: false);
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task GetResponse_ExtensionsAiJsonSchemaFormat_GetsTheObjectBackAndOneRow(string api)
    {
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema<Digest>() };

        var response = await Client(api).GetResponseAsync("Please summarize: revenue rose 12% and churn fell to 2.1%.", options);

        var digest = System.Text.Json.JsonSerializer.Deserialize<Digest>(response.Text, Web);
        Assert.NotNull(digest);
        Assert.InRange(digest.Sentences, 1, 3);
        Assert.False(string.IsNullOrWhiteSpace(digest.Headline));
        var row = await AssertOneRowAsync(api, response.ResponseId, response.Usage, streamed: false);
        Assert.Null(row.OutputViolation);
    }

    private IChatClient Client(string api)
    {
        var key = new ApiKeyCredential(RouterServer.CallerKey);
        var endpoint = new Uri(stack.Router.Address, "api/v1");
        return api == "chat"
            ? new OpenAI.Chat.ChatClient(Task, key, new OpenAIClientOptions { Endpoint = endpoint, RetryPolicy = new ClientRetryPolicy(0) }).AsIChatClient()
            : new ResponsesClient(key, new ResponsesClientOptions { Endpoint = endpoint, RetryPolicy = new ClientRetryPolicy(0) }).AsIChatClient(Task);
    }

    /// <summary>The call id behind an answer: chatcmpl-{callId} on chat completions, resp_{callId} on Responses.</summary>
    private static string CallIdOf(string api, string? responseId)
    {
        var prefix = api == "chat" ? "chatcmpl-" : "resp_";
        Assert.NotNull(responseId);
        Assert.StartsWith(prefix, responseId, StringComparison.Ordinal);
        return responseId[prefix.Length..];
    }

    private async Task<CallRecord> AssertOneRowAsync(string api, string? responseId, UsageDetails? usage, bool streamed)
    {
        Assert.NotNull(usage);
        Assert.True(usage.InputTokenCount > 0 && usage.OutputTokenCount > 0, "no usage");
        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(CallIdOf(api, responseId)));
        Assert.Equal(api, row.Api);
        Assert.Equal(Task, row.Task);
        Assert.Equal(streamed, row.Streamed);
        Assert.Equal(usage.InputTokenCount, row.InputTokens);
        Assert.Equal(usage.OutputTokenCount, row.OutputTokens);
        Assert.Equal(usage.CachedInputTokenCount ?? 0, row.CachedInputTokens);
        AssertPriced(row);
        return row;
    }

    private static void AssertPriced(CallRecord row)
    {
        var uncached = row.InputTokens - row.CachedInputTokens;
        Assert.Equal(((uncached * 2.50m) + (row.CachedInputTokens * 1.25m) + (row.OutputTokens * 10.00m)) / 1_000_000m, row.CostUsd);
    }

    private sealed record Digest(string Headline, int Sentences);
}
