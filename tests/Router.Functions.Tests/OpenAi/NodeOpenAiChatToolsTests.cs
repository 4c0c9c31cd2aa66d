using System.Text.Json;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.OpenAi;

/// <summary>
/// The official `openai` npm package on chat completions with tools and structured outputs (a tool call and its
/// follow-up, a streamed tool call through the stream helper, parse() with a json_schema, a forced tool), and its
/// AzureOpenAI client with the task as the deployment (plain, streamed, tools): answers, usage, and exactly one
/// ledger row per model call with the usage the client got and cost = tokens x prices.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class NodeOpenAiChatToolsTests(SharedServers stack)
{
    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    [Fact]
    public async Task ChatCompletions_OpenAiNodePackageAndAzureOpenAi_ToolsStructuredOutputsAndOneRowPerCall()
    {
        var root = await NodeOpenAiResponsesTests.RunScriptAsync(stack, "openai-chat-tools.mjs", "summarize");

        var call = root.GetProperty("call");
        Assert.Equal("tool_calls", call.GetProperty("finish").GetString());
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, call.GetProperty("content").ValueKind);
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(call.GetProperty("arguments").GetString()!).RootElement.GetProperty("city").ValueKind);
        Assert.Null((await AssertOneRowAsync(call, streamed: false)).OutputViolation);

        var answer = root.GetProperty("answer");
        Assert.Equal("stop", answer.GetProperty("finish").GetString());
        Assert.False(string.IsNullOrWhiteSpace(answer.GetProperty("content").GetString()));
        await AssertOneRowAsync(answer, streamed: false);

        var streamed = root.GetProperty("streamedCall");
        Assert.Equal("tool_calls", streamed.GetProperty("finish").GetString());
        Assert.Equal("get_weather", streamed.GetProperty("name").GetString());
        Assert.Equal(call.GetProperty("arguments").GetString(), streamed.GetProperty("arguments").GetString());
        Assert.True(streamed.GetProperty("argumentDeltas").GetInt32() >= 1);
        await AssertOneRowAsync(streamed, streamed: true);

        var parsed = root.GetProperty("parsed");
        Assert.InRange(parsed.GetProperty("parsed").GetProperty("sentences").GetInt32(), 1, 3);
        Assert.Equal(JsonValueKind.String, parsed.GetProperty("parsed").GetProperty("headline").ValueKind);
        Assert.Null((await AssertOneRowAsync(parsed, streamed: false)).OutputViolation);

        var forced = root.GetProperty("forced");
        Assert.Equal("get_weather", forced.GetProperty("name").GetString());
        await AssertOneRowAsync(forced, streamed: false);

        foreach (var name in (string[])["azurePlain", "azureTool"])
        {
            var azure = root.GetProperty(name);
            Assert.Equal("summarize", azure.GetProperty("model").GetString());
            await AssertOneRowAsync(azure, streamed: false);
        }

        Assert.StartsWith("Summary:", root.GetProperty("azurePlain").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("get_weather", root.GetProperty("azureTool").GetProperty("name").GetString());
        var azureStream = root.GetProperty("azureStream");
        Assert.StartsWith("Summary:", azureStream.GetProperty("content").GetString(), StringComparison.Ordinal);
        await AssertOneRowAsync(azureStream, streamed: true);
    }

    /// <summary>The completion id is chatcmpl-{callId}: exactly one row for it, billed with the usage the client got, priced at gpt-4o's sheet.</summary>
    private async Task<CallRecord> AssertOneRowAsync(JsonElement completion, bool streamed)
    {
        var id = completion.GetProperty("id").GetString()!;
        Assert.StartsWith("chatcmpl-", id, StringComparison.Ordinal);
        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(id["chatcmpl-".Length..]));
        Assert.Equal("chat", row.Api);
        Assert.Equal("summarize", row.Task);
        Assert.Equal(streamed, row.Streamed);
        var usage = completion.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), row.InputTokens);
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt32(), row.OutputTokens);
        Assert.Equal(usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32(), row.CachedInputTokens);
        var uncached = row.InputTokens - row.CachedInputTokens;
        Assert.Equal(((uncached * 2.50m) + (row.CachedInputTokens * 1.25m) + (row.OutputTokens * 10.00m)) / 1_000_000m, row.CostUsd);
        return row;
    }
}
