using System.Net;
using System.Text.Json;
using Json.Schema;
using OpenAI.Chat;

namespace Router.Emulator.Tests;

public sealed class ToolCallTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string OrderSchema = """{"type":"object","properties":{"order_id":{"type":"string"},"priority":{"type":"string","enum":["high","low"]},"count":{"type":"integer","minimum":3}},"required":["order_id","priority","count"],"additionalProperties":false}""";
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";

    private RunningEmulator Emulator => fixture.Emulator;

    private static ChatTool[] Tools =>
    [
        ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString(WeatherSchema)),
        ChatTool.CreateFunctionTool("lookup_order", "Find an order", BinaryData.FromString(OrderSchema)),
    ];

    [Fact]
    public async Task CompleteChat_ToolsOnUserTurn_CallsMentionedToolWithArgumentsValidAgainstItsSchema()
    {
        const string user = "Please lookup_order for order 42";
        var options = new ChatCompletionOptions();
        foreach (var tool in Tools)
        {
            options.Tools.Add(tool);
        }

        ChatCompletion completion = await Emulator.AzureChat("gpt-4o-tools-call").CompleteChatAsync([new UserChatMessage(user)], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("lookup_order", call.FunctionName);
        Assert.StartsWith("call_", call.Id, StringComparison.Ordinal);
        var arguments = call.FunctionArguments.ToString();
        using var document = JsonDocument.Parse(arguments);
        Assert.True(JsonSchema.FromText(OrderSchema).Evaluate(document.RootElement).IsValid, arguments);
        Assert.Equal("high", document.RootElement.GetProperty("priority").GetString());
        Assert.Equal(3, document.RootElement.GetProperty("count").GetInt32());
        Assert.Empty(completion.Content);
        Assert.Equal(IndependentTokenCount.Text("lookup_order") + IndependentTokenCount.Text(arguments), completion.Usage.OutputTokenCount);
        var toolTokens = IndependentTokenCount.Text("get_weather") + IndependentTokenCount.Text(WeatherSchema)
            + IndependentTokenCount.Text("lookup_order") + IndependentTokenCount.Text(OrderSchema);
        Assert.Equal(IndependentTokenCount.Prompt(("user", user)) + toolTokens, completion.Usage.InputTokenCount);
    }

    [Fact]
    public async Task CompleteChat_SameToolRequestTwice_ReturnsSameCallId()
    {
        var options = new ChatCompletionOptions();
        options.Tools.Add(Tools[0]);
        ChatMessage[] messages = [new UserChatMessage("Weather in Paris?")];

        ChatCompletion first = await Emulator.OpenAIChat("gpt-4o-tools-stable").CompleteChatAsync(messages, options);
        ChatCompletion second = await Emulator.OpenAIChat("gpt-4o-tools-stable").CompleteChatAsync(messages, options);

        Assert.Equal("get_weather", first.ToolCalls[0].FunctionName);
        Assert.Equal(first.ToolCalls[0].Id, second.ToolCalls[0].Id);
        Assert.Equal(first.ToolCalls[0].FunctionArguments.ToString(), second.ToolCalls[0].FunctionArguments.ToString());
    }

    [Fact]
    public async Task CompleteChat_AfterToolResult_AnswersFromToolOutputAndCountsReplayedCall()
    {
        const string user = "Please lookup_order for order 42";
        const string arguments = """{"order_id":"42"}""";
        const string result = "Order 42 shipped on Monday";
        var options = new ChatCompletionOptions();
        options.Tools.Add(Tools[1]);

        ChatCompletion completion = await Emulator.AzureChat("gpt-4o-tools-final").CompleteChatAsync(
        [
            new UserChatMessage(user),
            new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_1", "lookup_order", BinaryData.FromString(arguments))]),
            new ToolChatMessage("call_1", result),
        ], options);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Empty(completion.ToolCalls);
        Assert.Equal("Summary: " + result, completion.Content[0].Text);
        var expectedPrompt = IndependentTokenCount.Prompt(("user", user), ("assistant", string.Empty), ("tool", result))
            + IndependentTokenCount.Text("lookup_order") + IndependentTokenCount.Text(OrderSchema)
            + IndependentTokenCount.Text("lookup_order") + IndependentTokenCount.Text(arguments);
        Assert.Equal(expectedPrompt, completion.Usage.InputTokenCount);
    }

    [Fact]
    public async Task CompleteChat_ToolChoiceNone_AnswersWithText()
    {
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateNoneChoice() };
        options.Tools.Add(Tools[0]);

        ChatCompletion completion = await Emulator.OpenAIChat("gpt-4o-tools-none").CompleteChatAsync([new UserChatMessage("Weather in Paris?")], options);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("Summary: Weather in Paris?", completion.Content[0].Text);
    }

    [Fact]
    public async Task CompleteChat_NamedToolChoice_CallsThatToolEvenWhenAnotherIsMentioned()
    {
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather") };
        foreach (var tool in Tools)
        {
            options.Tools.Add(tool);
        }

        ChatCompletion completion = await Emulator.OpenAIChat("gpt-4o-tools-named").CompleteChatAsync([new UserChatMessage("lookup_order 7")], options);

        Assert.Equal("get_weather", Assert.Single(completion.ToolCalls).FunctionName);
    }

    [Fact]
    public async Task CompleteChatStreaming_Tools_StreamsCallHeadThenArgumentDeltasThatJoinToTheWholeCall()
    {
        var options = new ChatCompletionOptions();
        options.Tools.Add(Tools[1]);
        ChatMessage[] messages = [new UserChatMessage("lookup_order 42 please")];
        ChatCompletion whole = await Emulator.AzureChat("gpt-4o-tools-stream").CompleteChatAsync(messages, options);

        var ids = new List<string>();
        var names = new List<string>();
        var arguments = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        var argumentChunks = 0;
        // Fresh options: the 2.1 SDK drops stream_options from an options object already used for a non-streaming call.
        var streamOptions = new ChatCompletionOptions();
        streamOptions.Tools.Add(Tools[1]);
        await foreach (var update in Emulator.AzureChat("gpt-4o-tools-stream").CompleteChatStreamingAsync(messages, streamOptions))
        {
            foreach (var toolUpdate in update.ToolCallUpdates)
            {
                Assert.Equal(0, toolUpdate.Index);
                if (toolUpdate.ToolCallId is { } id)
                {
                    ids.Add(id);
                }

                if (toolUpdate.FunctionName is { } name)
                {
                    names.Add(name);
                }

                // An empty BinaryData (the head's "arguments": "") throws on ToString in the 2.1 SDK.
                var piece = toolUpdate.FunctionArgumentsUpdate is { } data && !data.ToMemory().IsEmpty ? data.ToString() : string.Empty;
                if (piece.Length > 0)
                {
                    argumentChunks++;
                }

                arguments.Append(piece);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal([whole.ToolCalls[0].Id], ids);
        Assert.Equal(["lookup_order"], names);
        Assert.Equal(whole.ToolCalls[0].FunctionArguments.ToString(), arguments.ToString());
        Assert.True(argumentChunks > 1, "arguments arrive in several deltas");
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(whole.Usage.OutputTokenCount, usage!.OutputTokenCount);
    }

    [Fact]
    public async Task Post_ToolChoiceNamesMissingFunction_Returns400NamingToolChoice()
    {
        using var response = await Emulator.PostAzureAsync(
            "gpt-4o-tools-bad",
            """{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"a"}}],"tool_choice":{"type":"function","function":{"name":"b"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("tool_choice", body.RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Post_ToolWithoutFunctionName_Returns400NamingTheTool()
    {
        using var response = await Emulator.PostAzureAsync(
            "gpt-4o-tools-bad", """{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("tools[0]", body.RootElement.GetProperty("error").GetProperty("param").GetString());
    }
}
