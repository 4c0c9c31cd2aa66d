using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Catalog;
using Router.Core.Distillation.Samples;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Distillation;

/// <summary>Capture through real /api/route calls (capture rate 1.0), export as fine-tuning JSONL, read it back.</summary>
[Collection(SharedServersDefinition.Name)]
public sealed class DistillationDatasetTests(SharedServers stack)
{
    [Fact]
    public async Task Dataset_CapturedLargeAnswers_RoundTripAsSmallFormatChatJsonl()
    {
        var settings = stack.Settings;
        settings["Router:Storage:SamplesTable"] = "Samples" + Guid.NewGuid().ToString("N")[..12];
        settings["Router:Tasks:summarize:CaptureRate"] = "1.0";
        await using var router = await RouterServer.StartAsync(settings);
        var task = router.Services.GetRequiredService<TaskCatalog>().Tasks.Single(t => t.Name == "summarize");
        using var caller = router.CreateClient(RouterServer.CallerKey);
        const string repeated = "The board met on 3 May and approved a budget of 2.1M EUR for the new plant in Lyon.";
        const string once = "Sales rose 8% in Q2 to 14,300 units; the Berlin store closed on 30 June.";

        var outputs = new Dictionary<string, List<string>> { [repeated] = [], [once] = [] };
        foreach (var input in new[] { repeated, once, repeated })
        {
            using var response = await caller.PostAsJsonAsync("api/route", new { task = "summarize", input });
            response.EnsureSuccessStatusCode();
            outputs[input].Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("output").GetString()!);
        }

        await WaitForSamplesAsync(router);
        using var admin = router.CreateClient(RouterServer.AdminKey);
        using var plain = await admin.GetAsync("api/distillation/summarize/dataset");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("application/jsonl", plain.Content.Headers.ContentType?.MediaType);
        var bytes = await plain.Content.ReadAsByteArrayAsync();
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no BOM unless asked for");

        var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length); // the repeated input is deduplicated by its hash
        var byInput = new Dictionary<string, string>();
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var messages = json.RootElement.GetProperty("messages").EnumerateArray().ToArray();
            Assert.Equal(["system", "user", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));
            Assert.Equal(task.SmallSystem, messages[0].GetProperty("content").GetString());
            Assert.DoesNotContain(task.Examples[0].Input, line, StringComparison.Ordinal);     // no few-shot examples
            Assert.DoesNotContain("Summarize the user's text", line, StringComparison.Ordinal); // not the large system prompt
            byInput[messages[1].GetProperty("content").GetString()!] = messages[2].GetProperty("content").GetString()!;
        }

        Assert.Equal(outputs[once].Single(), byInput[once]);
        Assert.Contains(byInput[repeated], outputs[repeated]);

        using var withBom = await admin.GetAsync("api/distillation/summarize/dataset?bom=true");
        var bomBytes = await withBom.Content.ReadAsByteArrayAsync();
        Assert.True(bomBytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "BOM requested");
        Assert.Equal(bytes.Length + 3, bomBytes.Length);
    }

    [Fact]
    public async Task Dataset_StreamedLargeAnswer_IsCapturedLikeANonStreamedOne()
    {
        var settings = stack.Settings;
        settings["Router:Storage:SamplesTable"] = "Samples" + Guid.NewGuid().ToString("N")[..12];
        settings["Router:Tasks:summarize:CaptureRate"] = "1.0";
        await using var router = await RouterServer.StartAsync(settings);
        using var caller = router.CreateClient(RouterServer.CallerKey);
        const string input = "The warehouse in Porto shipped 9,400 parcels in October, a record.";

        using (var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/chat/completions"))
        {
            request.Content = JsonContent.Create(new { model = "summarize", stream = true, messages = new[] { new { role = "user", content = input } } });
            using var response = await caller.SendAsync(request);
            response.EnsureSuccessStatusCode();
            Assert.Contains("data: [DONE]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await WaitForSamplesAsync(router);
        using var admin = router.CreateClient(RouterServer.AdminKey);
        var lines = (await admin.GetStringAsync("api/distillation/summarize/dataset")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var line = Assert.Single(lines);
        using var json = JsonDocument.Parse(line);
        var messages = json.RootElement.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(input, messages[1].GetProperty("content").GetString());
        Assert.False(string.IsNullOrWhiteSpace(messages[2].GetProperty("content").GetString()));
    }

    [Fact]
    public async Task Dataset_UnknownTask_Is404Problem()
    {
        using var admin = stack.Router.CreateClient(RouterServer.AdminKey);

        using var response = await admin.GetAsync("api/distillation/no-such-task/dataset");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Dataset_KnowledgeTask_Is409ProblemSayingWhy()
    {
        using var admin = stack.Router.CreateClient(RouterServer.AdminKey);

        using var response = await admin.GetAsync("api/distillation/contract-qa/dataset");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("knowledge task", detail, StringComparison.Ordinal);
        Assert.Contains("retrieval", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dataset_NoCapturedExamplesYet_Is404ProblemNamingThePromptVersionAndCapture()
    {
        var settings = stack.Settings;
        settings["Router:Storage:SamplesTable"] = "Samples" + Guid.NewGuid().ToString("N")[..12];
        await using var router = await RouterServer.StartAsync(settings);
        var task = router.Services.GetRequiredService<TaskCatalog>().Tasks.Single(t => t.Name == "summarize");
        using var admin = router.CreateClient(RouterServer.AdminKey);

        using var response = await admin.GetAsync("api/distillation/summarize/dataset");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("no captured examples", detail, StringComparison.Ordinal);
        Assert.Contains(task.PromptVersion, detail, StringComparison.Ordinal);
        Assert.Contains("Router:Tasks:summarize:CaptureRate", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dataset_ToolCallsAndTheirFollowUp_CapturedInTheFunctionCallingFormatWithToolsBesideMessages()
    {
        var settings = stack.Settings;
        settings["Router:Storage:SamplesTable"] = "Samples" + Guid.NewGuid().ToString("N")[..12];
        settings["Router:Tasks:summarize:CaptureRate"] = "1.0";
        await using var router = await RouterServer.StartAsync(settings);
        var task = router.Services.GetRequiredService<TaskCatalog>().Tasks.Single(t => t.Name == "summarize");
        using var caller = router.CreateClient(RouterServer.CallerKey);
        var tools = new[] { new { type = "function", function = new { name = "get_weather", description = "Current weather for a city", parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } } } } };
        const string question = "What is the weather in Paris right now?";
        const string streamedQuestion = "And the weather in Oslo?";

        using var first = await caller.PostAsJsonAsync("api/v1/chat/completions", new { model = "summarize", tools, messages = new[] { new { role = "user", content = question } } });
        var call = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];
        var callId = call.GetProperty("id").GetString()!;
        var arguments = call.GetProperty("function").GetProperty("arguments").GetString()!;
        var followUp = new object[]
        {
            new { role = "user", content = question },
            new { role = "assistant", content = (string?)null, tool_calls = new[] { new { id = callId, type = "function", function = new { name = "get_weather", arguments } } } },
            new { role = "tool", tool_call_id = callId, content = "18C and sunny" },
        };
        using var second = await caller.PostAsJsonAsync("api/v1/chat/completions", new { model = "summarize", tools, messages = followUp });
        var answer = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/chat/completions"))
        {
            request.Content = JsonContent.Create(new { model = "summarize", tools, stream = true, messages = new[] { new { role = "user", content = streamedQuestion } } });
            using var streamed = await caller.SendAsync(request);
            Assert.Contains("tool_calls", await streamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await WaitForSamplesAsync(router);
        using var admin = router.CreateClient(RouterServer.AdminKey);
        var lines = (await admin.GetStringAsync("api/distillation/summarize/dataset")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(3, lines.Count);
        foreach (var line in lines)
        {
            var tool = Assert.Single(line.GetProperty("tools").EnumerateArray());
            Assert.Equal("get_weather", tool.GetProperty("function").GetProperty("name").GetString());
            Assert.Equal("object", tool.GetProperty("function").GetProperty("parameters").GetProperty("type").GetString());
            Assert.Equal(task.SmallSystem, line.GetProperty("messages")[0].GetProperty("content").GetString());
        }

        JsonElement Line(string user) => lines.Single(l => l.GetProperty("messages")[1].GetProperty("content").GetString() == user && l.GetProperty("messages").GetArrayLength() == 3);
        var callTurn = Line(question).GetProperty("messages")[2];
        Assert.Equal(JsonValueKind.Null, callTurn.GetProperty("content").ValueKind);
        Assert.Equal((callId, arguments), (callTurn.GetProperty("tool_calls")[0].GetProperty("id").GetString(), callTurn.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()));
        var streamedTurn = Line(streamedQuestion).GetProperty("messages")[2];
        Assert.Equal("get_weather", streamedTurn.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(streamedTurn.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("city").ValueKind);

        var answered = lines.Single(l => l.GetProperty("messages").GetArrayLength() == 5).GetProperty("messages");
        Assert.Equal(["system", "user", "assistant", "tool", "assistant"], answered.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(callId, answered[2].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal(callId, answered[3].GetProperty("tool_call_id").GetString());
        Assert.Equal(answer, answered[4].GetProperty("content").GetString());
        Assert.False(answered[4].TryGetProperty("tool_calls", out _));
    }

    private static async Task WaitForSamplesAsync(RouterServer router)
    {
        var capture = router.Services.GetRequiredService<ISampleCapture>();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(20);
        while (capture.QueueDepth > 0)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"{capture.QueueDepth} samples still queued");
            await Task.Delay(25);
        }
    }
}
