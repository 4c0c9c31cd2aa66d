using System.Diagnostics;
using System.Text.Json;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.OpenAi;

/// <summary>
/// The official `openai` npm package's Responses client (responses.create plain and streamed, its
/// responses.stream helper, which rebuilds the response from the events, and a function tool round
/// trip: call, function_call_output, answer), and its AzureOpenAI client's Responses (the dated
/// /openai/responses path, plain and streamed), pointed at the router: answers, usage, the documented
/// event order, and one ledger row per model call with cost = tokens x prices.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class NodeOpenAiResponsesTests(SharedServers stack)
{
    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    [Fact]
    public async Task Responses_OpenAiNodePackage_GetsAnswersStreamsToolRoundTripUsageAndRefusals()
    {
        var root = await RunAsync("openai-responses.mjs", "summarize");

        var plain = root.GetProperty("plain");
        Assert.Equal("summarize", plain.GetProperty("model").GetString());
        Assert.Equal("completed", plain.GetProperty("status").GetString());
        Assert.StartsWith("Summary:", plain.GetProperty("output_text").GetString(), StringComparison.Ordinal);
        await AssertOneRowWithUsageAsync(plain.GetProperty("id").GetString()!, plain.GetProperty("usage"), streamed: false);

        var types = root.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"], types.Take(4));
        Assert.Equal(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"], types.TakeLast(4));
        Assert.Equal(Enumerable.Range(0, types.Count), root.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("sequence_number").GetInt32()));
        var completed = root.GetProperty("streamCompleted");
        Assert.StartsWith("Summary:", root.GetProperty("streamed").GetString(), StringComparison.Ordinal);
        Assert.Equal(root.GetProperty("streamed").GetString(), completed.GetProperty("output_text").GetString());
        await AssertOneRowWithUsageAsync(completed.GetProperty("id").GetString()!, completed.GetProperty("usage"), streamed: true);

        var helper = root.GetProperty("helper");
        Assert.True(helper.GetProperty("deltas").GetInt32() > 1);
        Assert.StartsWith("Summary:", helper.GetProperty("output_text").GetString(), StringComparison.Ordinal);
        await AssertOneRowWithUsageAsync(helper.GetProperty("id").GetString()!, helper.GetProperty("usage"), streamed: true);

        var tool = root.GetProperty("tool");
        var call = tool.GetProperty("call");
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(call.GetProperty("arguments").GetString()!).RootElement.GetProperty("city").ValueKind);
        await AssertOneRowWithUsageAsync(call.GetProperty("id").GetString()!, call.GetProperty("usage"), streamed: false);
        var answer = tool.GetProperty("answer");
        Assert.Equal("message", answer.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(answer.GetProperty("output_text").GetString()));
        await AssertOneRowWithUsageAsync(answer.GetProperty("id").GetString()!, answer.GetProperty("usage"), streamed: false);
        var streamedCall = tool.GetProperty("streamed");
        Assert.Equal("get_weather", streamedCall.GetProperty("name").GetString());
        Assert.Equal(call.GetProperty("arguments").GetString(), streamedCall.GetProperty("arguments").GetString());
        Assert.True(streamedCall.GetProperty("argumentDeltas").GetInt32() >= 1);
        await AssertOneRowWithUsageAsync(streamedCall.GetProperty("id").GetString()!, streamedCall.GetProperty("usage"), streamed: true);

        Assert.Equal(400, root.GetProperty("stateful").GetProperty("status").GetInt32());
        Assert.Equal("previous_response_id", root.GetProperty("stateful").GetProperty("param").GetString());
        Assert.Equal(404, root.GetProperty("notFound").GetProperty("status").GetInt32());
        Assert.Equal("model_not_found", root.GetProperty("notFound").GetProperty("code").GetString());

        // AzureOpenAI: /openai/responses?api-version=..., model = the task as the deployment.
        var azurePlain = root.GetProperty("azurePlain");
        Assert.Equal("summarize", azurePlain.GetProperty("model").GetString());
        Assert.StartsWith("Summary:", azurePlain.GetProperty("output_text").GetString(), StringComparison.Ordinal);
        await AssertOneRowWithUsageAsync(azurePlain.GetProperty("id").GetString()!, azurePlain.GetProperty("usage"), streamed: false);
        var azureStream = root.GetProperty("azureStream");
        Assert.Equal("summarize", azureStream.GetProperty("model").GetString());
        Assert.StartsWith("Summary:", azureStream.GetProperty("streamed").GetString(), StringComparison.Ordinal);
        Assert.Equal(azureStream.GetProperty("streamed").GetString(), azureStream.GetProperty("output_text").GetString());
        await AssertOneRowWithUsageAsync(azureStream.GetProperty("id").GetString()!, azureStream.GetProperty("usage"), streamed: true);
    }

    internal static async Task<JsonElement> RunScriptAsync(SharedServers stack, string script, string task)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Router.Functions.Tests", "OpenAi", script);
        var package = Path.Combine(RepositoryPaths.Root, "node_modules", "openai", "package.json");
        Assert.True(File.Exists(package), $"The openai npm package is missing at {package}; run npm ci.");

        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { path, new Uri(stack.Router.Address, "api/v1").ToString(), RouterServer.CallerKey, task },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node exited with {node.ExitCode}: {await errors}");
        using var result = JsonDocument.Parse((await output).Trim());
        return result.RootElement.Clone();
    }

    /// <summary>The response id is resp_{callId}: exactly one row for it, billed with the usage the client got, priced at gpt-4o's sheet.</summary>
    internal async Task<CallRecord> AssertOneRowWithUsageAsync(string responseId, JsonElement usage, bool streamed)
    {
        Assert.StartsWith("resp_", responseId, StringComparison.Ordinal);
        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(responseId["resp_".Length..]));
        Assert.Equal("responses", row.Api);
        Assert.Equal(streamed, row.Streamed);
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32(), row.InputTokens);
        Assert.Equal(usage.GetProperty("output_tokens").GetInt32(), row.OutputTokens);
        Assert.Equal(usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32(), row.CachedInputTokens);
        var uncached = row.InputTokens - row.CachedInputTokens;
        Assert.Equal(((uncached * 2.50m) + (row.CachedInputTokens * 1.25m) + (row.OutputTokens * 10.00m)) / 1_000_000m, row.CostUsd);
        return row;
    }

    private Task<JsonElement> RunAsync(string script, string task) => RunScriptAsync(stack, script, task);
}
