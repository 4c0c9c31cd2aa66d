using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using OpenAI.Responses;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;

// The Responses types of the OpenAI .NET SDK 2.15 are marked experimental; the wire they speak is the documented one.
#pragma warning disable OPENAI001

namespace Router.Functions.Tests.OpenAi;

/// <summary>
/// The OpenAI .NET SDK's ResponsesClient (OpenAI 2.15.0) pointed at the router, on /api/v1 and on Azure's
/// /api/openai/v1 layout: a plain and a streamed text response, a function tool round trip (call,
/// function_call_output, answer) plain and streamed, a json_schema text format parsed back. Every answer
/// carries usage, and each model call is exactly one ledger row with that usage and cost = tokens x prices.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class DotNetOpenAiResponsesTests(SharedServers stack)
{
    private const string Task = "summarize";
    private const string Text = "Please summarize: the quarterly review showed revenue of $4.2M, up 12% on last year. Hiring is paused until March.";
    private const string WeatherQuestion = "What is the weather in Paris right now?";

    private static readonly StreamingResponseUpdateKind[] TextStreamOrder =
    [
        StreamingResponseUpdateKind.ResponseCreated, StreamingResponseUpdateKind.ResponseInProgress,
        StreamingResponseUpdateKind.ResponseOutputItemAdded, StreamingResponseUpdateKind.ResponseContentPartAdded,
        StreamingResponseUpdateKind.ResponseOutputTextDelta, StreamingResponseUpdateKind.ResponseOutputTextDone,
        StreamingResponseUpdateKind.ResponseContentPartDone, StreamingResponseUpdateKind.ResponseOutputItemDone,
        StreamingResponseUpdateKind.ResponseCompleted,
    ];

    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    private static FunctionTool Weather { get; } = ResponseTool.CreateFunctionTool(
        "get_weather",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}"""),
        strictModeEnabled: true,
        functionDescription: "Current weather for a city");

    [Theory]
    [InlineData("api/v1")]
    [InlineData("api/openai/v1")]
    public async Task CreateResponse_DotNetSdk_AnswersWithUsageAndOneExactLedgerRow(string basePath)
    {
        var options = new CreateResponseOptions { Model = Task, Instructions = "Keep it short.", InputItems = { ResponseItem.CreateUserMessageItem(Text) } };

        ClientResult<ResponseResult> result = await Client(basePath).CreateResponseAsync(options);

        var response = result.Value;
        Assert.Equal(Task, response.Model);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.StartsWith("Summary:", response.GetOutputText(), StringComparison.Ordinal);
        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal(MessageRole.Assistant, message.Role);
        Assert.True(response.Usage.InputTokenCount > 0 && response.Usage.OutputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
        Assert.Equal("gpt-4o", Assert.Single(Header(result, "x-router-deployment")));
        var row = await AssertOneRowAsync(response.Id, response.Usage, streamed: false);
        Assert.Equal(row.CostUsd, decimal.Parse(Assert.Single(Header(result, "x-router-cost-usd")), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task CreateResponseStreaming_DotNetSdk_SendsTypedUpdatesInOrderWithUsageAndOneLedgerRow()
    {
        var options = new CreateResponseOptions { Model = Task, InputItems = { ResponseItem.CreateUserMessageItem(Text) }, StreamingEnabled = true };
        var updates = new List<StreamingResponseUpdate>();

        await foreach (var update in await Client().CreateResponseStreamingAsync(options))
        {
            updates.Add(update);
        }

        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        var steps = updates.Select(u => u.Kind).Where((kind, i) => i == 0 || kind != updates[i - 1].Kind).ToList();
        Assert.Equal(TextStreamOrder, steps);
        var deltas = updates.OfType<StreamingResponseOutputTextDeltaUpdate>().ToList();
        Assert.True(deltas.Count > 1, "the text came as one delta");
        var streamed = string.Concat(deltas.Select(d => d.Delta));
        Assert.StartsWith("Summary:", streamed, StringComparison.Ordinal);
        Assert.Equal(streamed, Assert.Single(updates.OfType<StreamingResponseOutputTextDoneUpdate>()).Text);
        var completed = Assert.Single(updates.OfType<StreamingResponseCompletedUpdate>()).Response;
        Assert.Equal(Task, completed.Model);
        Assert.Equal(streamed, completed.GetOutputText());
        Assert.Equal(completed.Id, Assert.Single(updates.OfType<StreamingResponseCreatedUpdate>()).Response.Id);
        await AssertOneRowAsync(completed.Id, completed.Usage, streamed: true);
    }

    [Fact]
    public async Task CreateResponse_DotNetSdkFunctionToolRoundTrip_CallsToolThenAnswersFromItsOutputOneRowPerCall()
    {
        var client = Client();
        var marker = "dotnet-responses-tools-" + Guid.NewGuid().ToString("N");
        List<ResponseItem> conversation = [ResponseItem.CreateUserMessageItem(WeatherQuestion + " " + marker)];

        ResponseResult call = await client.CreateResponseAsync(new CreateResponseOptions(Task, conversation) { Tools = { Weather }, ToolChoice = ResponseToolChoice.CreateAutoChoice() });

        var functionCall = Assert.IsAssignableFrom<FunctionCallResponseItem>(Assert.Single(call.OutputItems));
        Assert.Equal("get_weather", functionCall.FunctionName);
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(functionCall.FunctionArguments.ToString()).RootElement.GetProperty("city").ValueKind);
        Assert.False(string.IsNullOrEmpty(functionCall.CallId));
        await AssertOneRowAsync(call.Id, call.Usage, streamed: false);

        // The agent runs the tool and sends the call (as the SDK hands it back) and its output.
        conversation.Add(functionCall);
        conversation.Add(ResponseItem.CreateFunctionCallOutputItem(functionCall.CallId, """{"celsius":18,"sky":"sunny"}"""));
        ResponseResult answer = await client.CreateResponseAsync(new CreateResponseOptions(Task, conversation) { Tools = { Weather } });

        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(answer.OutputItems));
        Assert.False(string.IsNullOrWhiteSpace(answer.GetOutputText()));
        Assert.Equal(MessageRole.Assistant, message.Role);
        await AssertOneRowAsync(answer.Id, answer.Usage, streamed: false);

        // Upstream the follow-up is chat completions: the assistant's tool call, then the tool's result under its id.
        var followUp = (await EmulatorRequests.WithMarkerAsync(stack.Emulator, marker))[^1].GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["assistant", "tool"], followUp.TakeLast(2).Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(functionCall.CallId, followUp[^1].GetProperty("tool_call_id").GetString());
        Assert.Equal(functionCall.CallId, followUp[^2].GetProperty("tool_calls")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task CreateResponseStreaming_DotNetSdkFunctionTool_SendsCallItemWithArgumentDeltasAndOneLedgerRow()
    {
        var options = new CreateResponseOptions(Task, [ResponseItem.CreateUserMessageItem(WeatherQuestion)]) { Tools = { Weather }, StreamingEnabled = true };
        var updates = new List<StreamingResponseUpdate>();

        await foreach (var update in await Client().CreateResponseStreamingAsync(options))
        {
            updates.Add(update);
        }

        var arguments = new StringBuilder();
        foreach (var delta in updates.OfType<StreamingResponseFunctionCallArgumentsDeltaUpdate>())
        {
            arguments.Append(delta.Delta.ToString());
        }

        Assert.True(arguments.Length > 0, "no function_call_arguments.delta");
        var done = Assert.Single(updates.OfType<StreamingResponseFunctionCallArgumentsDoneUpdate>());
        Assert.Equal(arguments.ToString(), done.FunctionArguments.ToString());
        var item = Assert.IsAssignableFrom<FunctionCallResponseItem>(Assert.Single(updates.OfType<StreamingResponseOutputItemDoneUpdate>()).Item);
        Assert.Equal("get_weather", item.FunctionName);
        Assert.Equal(arguments.ToString(), item.FunctionArguments.ToString());
        var completed = Assert.Single(updates.OfType<StreamingResponseCompletedUpdate>()).Response;
        Assert.Equal(item.CallId, Assert.IsAssignableFrom<FunctionCallResponseItem>(Assert.Single(completed.OutputItems)).CallId);
        await AssertOneRowAsync(completed.Id, completed.Usage, streamed: true);
    }

    [Fact]
    public async Task CreateResponse_DotNetSdkJsonSchemaTextFormat_ParsesBackAndRecordsOneRow()
    {
        var options = new CreateResponseOptions(Task, [ResponseItem.CreateUserMessageItem("Please summarize: revenue rose 12% and churn fell to 2.1%.")])
        {
            TextOptions = new ResponseTextOptions
            {
                TextFormat = ResponseTextFormat.CreateJsonSchemaFormat(
                    "digest",
                    BinaryData.FromString("""{"type":"object","properties":{"headline":{"type":"string"},"sentences":{"type":"integer","minimum":1,"maximum":3}},"required":["headline","sentences"],"additionalProperties":false}"""),
                    jsonSchemaFormatDescription: null,
                    jsonSchemaIsStrict: true),
            },
        };

        ResponseResult response = await Client().CreateResponseAsync(options);

        using var parsed = JsonDocument.Parse(response.GetOutputText());
        Assert.InRange(parsed.RootElement.GetProperty("sentences").GetInt32(), 1, 3);
        Assert.Equal(JsonValueKind.String, parsed.RootElement.GetProperty("headline").ValueKind);
        Assert.Equal(ResponseTextFormatKind.JsonSchema, response.TextOptions.TextFormat.Kind);
        var row = await AssertOneRowAsync(response.Id, response.Usage, streamed: false);
        Assert.Null(row.OutputViolation);
    }

    private ResponsesClient Client(string basePath = "api/v1") =>
        new(new ApiKeyCredential(RouterServer.CallerKey), new ResponsesClientOptions { Endpoint = new Uri(stack.Router.Address, basePath), RetryPolicy = new ClientRetryPolicy(0) });

    private static IEnumerable<string> Header(ClientResult result, string name) =>
        result.GetRawResponse().Headers.TryGetValue(name, out var value) ? [value!] : [];

    /// <summary>The response id is resp_{callId}: exactly one row for it, billed with the usage the SDK read, priced at gpt-4o's sheet.</summary>
    private async Task<CallRecord> AssertOneRowAsync(string responseId, ResponseTokenUsage usage, bool streamed)
    {
        Assert.StartsWith("resp_", responseId, StringComparison.Ordinal);
        Assert.True(usage.InputTokenCount > 0 && usage.OutputTokenCount > 0, "no usage");
        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(responseId["resp_".Length..]));
        Assert.Equal("responses", row.Api);
        Assert.Equal(Task, row.Task);
        Assert.Equal(streamed, row.Streamed);
        Assert.Equal(usage.InputTokenCount, row.InputTokens);
        Assert.Equal(usage.OutputTokenCount, row.OutputTokens);
        Assert.Equal(usage.InputTokenDetails?.CachedTokenCount ?? 0, row.CachedInputTokens);
        var uncached = row.InputTokens - row.CachedInputTokens;
        Assert.Equal(((uncached * 2.50m) + (row.CachedInputTokens * 1.25m) + (row.OutputTokens * 10.00m)) / 1_000_000m, row.CostUsd);
        return row;
    }
}
