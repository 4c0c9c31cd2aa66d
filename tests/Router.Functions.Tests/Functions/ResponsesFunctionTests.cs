using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Router.Functions.Tests.Infrastructure;
using Router.Functions.Tests.OpenAi;

namespace Router.Functions.Tests.Functions;

/// <summary>
/// POST /api/v1/responses over HTTP against the emulator: the request goes through the task's
/// plan to the deployment's chat completions, the answer comes back as a spec-valid response
/// object or typed events in order, and each model call is one ledger row with Api = responses.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class ResponsesFunctionTests(SharedServers stack)
{
    private const string Text = "The quarterly review showed revenue of $4.2M, up 12% on last year. Churn fell to 2.1%. Hiring is paused until March.";

    private static readonly string[] TextStreamOrder =
    [
        "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
        "response.output_text.delta", "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
    ];

    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    [Fact]
    public async Task Responses_PlainText_ReturnsSpecValidResponseWithUsageAndOneLedgerRow()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var marker = "responses-plain-" + Guid.NewGuid().ToString("N");
        using var response = await http.PostAsJsonAsync("api/v1/responses", new
        {
            model = "summarize",
            instructions = "Keep it short. " + marker,
            input = Text,
            store = false,
            metadata = new { team = "search" },
        });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        OpenAiSpec.AssertValid(OpenAiSpec.Response, body);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var callId = response.Headers.GetValues("x-router-call-id").Single();
        Assert.Equal("resp_" + callId, root.GetProperty("id").GetString());
        Assert.Equal("summarize", root.GetProperty("model").GetString());
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal("search", root.GetProperty("metadata").GetProperty("team").GetString());
        var message = Assert.Single(root.GetProperty("output").EnumerateArray());
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.StartsWith("Summary:", message.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        var usage = root.GetProperty("usage");
        var (input, output) = (usage.GetProperty("input_tokens").GetInt32(), usage.GetProperty("output_tokens").GetInt32());
        Assert.True(input > 0 && output > 0);
        Assert.Equal(input + output, usage.GetProperty("total_tokens").GetInt32());

        // Upstream it is the task's plan, then the caller's instructions as a system message, then the input.
        var upstream = await LastUpstreamRequestAsync("gpt-4o", marker);
        var messages = upstream.GetProperty("messages").EnumerateArray().ToList();
        Assert.Contains("Summarize the user's text", messages[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("system", messages[^2].GetProperty("role").GetString());
        Assert.Contains(marker, messages[^2].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(Text, messages[^1].GetProperty("content").GetString());

        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(callId));
        Assert.Equal("responses", row.Api);
        Assert.Equal("summarize", row.Task);
        Assert.False(row.Streamed);
        Assert.Equal(input, row.InputTokens);
        Assert.Equal(output, row.OutputTokens);
        Assert.Equal(((input * 2.50m) + (output * 10.00m)) / 1_000_000m, row.CostUsd);
        Assert.Equal(row.CostUsd, decimal.Parse(response.Headers.GetValues("x-router-cost-usd").Single(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Responses_Streamed_SendsEveryTypedEventInDocumentedOrderAndRecordsOnce()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var events = await StreamAsync(http, "api/v1/responses", new { model = "summarize", input = Text + " " + Guid.NewGuid().ToString("N"), stream = true });

        AssertTextStream(events);
        Assert.True(events.Count(e => e.EventType == "response.output_text.delta") > 3, "the answer should arrive in several deltas");
        using var completed = JsonDocument.Parse(events[^1].Data);
        var response = completed.RootElement.GetProperty("response");
        var usage = response.GetProperty("usage");
        var streamedText = string.Concat(events.Where(e => e.EventType == "response.output_text.delta").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta").GetString()));
        Assert.Equal(streamedText, response.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());

        var callId = response.GetProperty("id").GetString()!["resp_".Length..];
        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(callId));
        Assert.Equal("responses", row.Api);
        Assert.True(row.Streamed);
        Assert.Equal("ok", row.Status);
        Assert.False(row.UsageEstimated);
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32(), row.InputTokens);
        Assert.Equal(usage.GetProperty("output_tokens").GetInt32(), row.OutputTokens);
        Assert.Equal(((row.InputTokens * 2.50m) + (row.OutputTokens * 10.00m)) / 1_000_000m, row.CostUsd);
    }

    [Fact]
    public async Task Responses_StreamedSmallTaskWithLabels_SendsTheCheckedAnswerAsOneDeltaInTheSameOrder()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var events = await StreamAsync(http, "api/v1/responses", new { model = "ticket-triage", input = "A billing question: I was charged twice.", stream = true });

        AssertTextStream(events);
        var delta = Assert.Single(events, e => e.EventType == "response.output_text.delta");
        Assert.Equal("billing", JsonDocument.Parse(delta.Data).RootElement.GetProperty("delta").GetString());
    }

    [Theory]
    [InlineData(100_000, 200)]
    [InlineData(50, 50)]
    public async Task Responses_MaxOutputTokens_IsCappedByTheTaskNeverLifted(int asked, int sent)
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var marker = "responses-cap-" + Guid.NewGuid().ToString("N");
        using var response = await http.PostAsJsonAsync("api/v1/responses", new { model = "summarize", input = Text + " " + marker, max_output_tokens = asked, top_p = 0.5 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(sent, body.RootElement.GetProperty("max_output_tokens").GetInt32());
        var upstream = await LastUpstreamRequestAsync("gpt-4o", marker);
        Assert.Equal(sent, upstream.GetProperty("maxTokens").GetInt32());
        Assert.Equal(0.5, upstream.GetProperty("parameters").GetProperty("top_p").GetDouble(), 3);
    }

    [Fact]
    public async Task Responses_FunctionToolRoundTrip_CallsTheToolThenAnswersFromItsOutput()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var question = "What is the weather in Paris? " + Guid.NewGuid().ToString("N");
        var tools = new[] { new { type = "function", name = "get_weather", description = "Current weather", parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } }, strict = true } };

        using var first = await http.PostAsJsonAsync("api/v1/responses", new { model = "summarize", input = question, tools });
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        OpenAiSpec.AssertValid(OpenAiSpec.Response, firstBody);
        using var firstDocument = JsonDocument.Parse(firstBody);
        var call = Assert.Single(firstDocument.RootElement.GetProperty("output").EnumerateArray());
        Assert.Equal("function_call", call.GetProperty("type").GetString());
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(call.GetProperty("arguments").GetString()!).RootElement.GetProperty("city").ValueKind);
        var callId = call.GetProperty("call_id").GetString();

        // The caller sends the conversation back with the call and its output (no state on the router).
        using var second = await http.PostAsJsonAsync("api/v1/responses", new
        {
            model = "summarize",
            tools,
            input = new object[]
            {
                new { role = "user", content = question },
                JsonSerializer.Deserialize<JsonElement>(call.GetRawText()),
                new { type = "function_call_output", call_id = callId, output = "18C and sunny" },
            },
        });
        var secondBody = await second.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        OpenAiSpec.AssertValid(OpenAiSpec.Response, secondBody);
        using var secondDocument = JsonDocument.Parse(secondBody);
        var answer = Assert.Single(secondDocument.RootElement.GetProperty("output").EnumerateArray());
        Assert.Equal("message", answer.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(answer.GetProperty("content")[0].GetProperty("text").GetString()));

        // Upstream: the tools went as chat tools, the round trip as an assistant tool call and a tool message.
        var upstream = await LastUpstreamRequestAsync("gpt-4o", question, "18C and sunny");
        Assert.Equal("get_weather", upstream.GetProperty("parameters").GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        var messages = upstream.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("tool", messages[^1].GetProperty("role").GetString());
        Assert.Equal(callId, messages[^1].GetProperty("tool_call_id").GetString());
        Assert.Equal(callId, messages[^2].GetProperty("tool_calls")[0].GetProperty("id").GetString());

        // Each model call is one row, the tool call priced like any answer.
        await stack.Router.DrainAsync();
        foreach (var (response, document) in new[] { (first, firstDocument), (second, secondDocument) })
        {
            var row = Assert.Single(await _ledger.WaitForRequestAsync(response.Headers.GetValues("x-router-call-id").Single()));
            Assert.Equal("responses", row.Api);
            var usage = document.RootElement.GetProperty("usage");
            Assert.Equal(usage.GetProperty("output_tokens").GetInt32(), row.OutputTokens);
            Assert.Equal(((row.InputTokens * 2.50m) + (row.OutputTokens * 10.00m)) / 1_000_000m, row.CostUsd);
        }
    }

    [Fact]
    public async Task Responses_StreamedToolCall_SendsFunctionCallItemWithArgumentDeltas()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var tools = new[] { new { type = "function", name = "get_weather", parameters = new { type = "object", properties = new { city = new { type = "string" } } } } };
        var events = await StreamAsync(http, "api/v1/responses", new { model = "summarize", input = "Weather in Oslo? " + Guid.NewGuid().ToString("N"), tools, stream = true });

        for (var i = 0; i < events.Count; i++)
        {
            OpenAiSpec.AssertValidEvent(events[i].EventType, events[i].Data);
            Assert.Equal(i, JsonDocument.Parse(events[i].Data).RootElement.GetProperty("sequence_number").GetInt32());
        }

        var steps = events.Select(e => e.EventType).Where((type, i) => i == 0 || type != events[i - 1].EventType).ToList();
        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done", "response.completed"],
            steps);
        var deltas = string.Concat(events.Where(e => e.EventType == "response.function_call_arguments.delta").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta").GetString()));
        using var completed = JsonDocument.Parse(events[^1].Data);
        var item = Assert.Single(completed.RootElement.GetProperty("response").GetProperty("output").EnumerateArray());
        Assert.Equal(deltas, item.GetProperty("arguments").GetString());
        var callId = completed.RootElement.GetProperty("response").GetProperty("id").GetString()!["resp_".Length..];
        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(callId));
        Assert.True(row.Streamed);
        Assert.Null(row.OutputViolation);
        Assert.Equal(completed.RootElement.GetProperty("response").GetProperty("usage").GetProperty("output_tokens").GetInt32(), row.OutputTokens);
    }

    [Fact]
    public async Task Responses_TextFormatJsonSchema_GoesUpstreamAsStructuredOutputAndAnswersMatchingJson()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var marker = "responses-schema-" + Guid.NewGuid().ToString("N");
        var schema = new { type = "object", properties = new { headline = new { type = "string" }, sentences = new { type = "integer", minimum = 1, maximum = 3 } }, required = new[] { "headline", "sentences" }, additionalProperties = false };
        using var response = await http.PostAsJsonAsync("api/v1/responses", new { model = "summarize", input = Text + " " + marker, text = new { format = new { type = "json_schema", name = "digest", schema, strict = true } } });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        OpenAiSpec.AssertValid(OpenAiSpec.Response, body);
        using var document = JsonDocument.Parse(body);
        var text = document.RootElement.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!;
        using var answer = JsonDocument.Parse(text);
        Assert.InRange(answer.RootElement.GetProperty("sentences").GetInt32(), 1, 3);
        Assert.Equal("digest", document.RootElement.GetProperty("text").GetProperty("format").GetProperty("name").GetString());
        var upstream = await LastUpstreamRequestAsync("gpt-4o", marker);
        var format = upstream.GetProperty("parameters").GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("digest", format.GetProperty("json_schema").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Responses_CallerSchemaTheSmallAnswerBreaks_EscalatesToLargeRecordedOncePerModelCall()
    {
        var faulty = new Resilience.FaultyDeployments(stack);
        faulty.Settings["Router:Tasks:summarize:Route"] = "small";
        faulty.Settings["Router:Tasks:summarize:CascadeToLarge"] = "true";
        await using var router = await RouterServer.StartAsync(faulty.Settings);
        await faulty.ArmAsync(faulty.Small, new { kind = "off-schema", count = 1 });
        using var http = router.CreateClient(RouterServer.CallerKey);
        var schema = new { type = "object", properties = new { headline = new { type = "string" } }, required = new[] { "headline" }, additionalProperties = false };

        using var response = await http.PostAsJsonAsync("api/v1/responses", new { model = "summarize", input = Text, text = new { format = new { type = "json_schema", name = "digest", schema, strict = true } } });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(body);
        var text = document.RootElement.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!;
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(text).RootElement.GetProperty("headline").ValueKind);
        Assert.Equal("large", response.Headers.GetValues("x-router-route").Single());
        var callId = response.Headers.GetValues("x-router-call-id").Single();
        await router.DrainAsync();
        var rows = await _ledger.WaitForRequestAsync(callId, expected: 2);
        Assert.Equal(2, rows.Count);
        var small = Assert.Single(rows, r => r.CallId == callId + "-small");
        Assert.Equal(("escalated", "output does not match the caller's JSON schema", "responses"), (small.Status, small.FallbackReason, small.Api));
        Assert.Equal(((small.InputTokens * 0.30m) + (small.OutputTokens * 1.20m)) / 1_000_000m, small.CostUsd);
        var large = Assert.Single(rows, r => r.CallId == callId);
        Assert.True(large.Fallback);
        Assert.Equal(document.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32(), large.OutputTokens);
        Assert.Equal(((large.InputTokens * 2.50m) + (large.OutputTokens * 10.00m)) / 1_000_000m, large.CostUsd);
    }

    [Fact]
    public async Task Responses_InvalidCallerSchema_Is400NamingItBeforeAnyModelCall()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var response = await http.PostAsJsonAsync("api/v1/responses", new { model = "summarize", input = Text, text = new { format = new { type = "json_schema", name = "digest", schema = new { type = "object", minProperties = "two" }, strict = true } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("text.format.schema", error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("previous_response_id", "\"resp_123\"", "previous_response_id")]
    [InlineData("conversation", "\"conv_123\"", "conversation")]
    [InlineData("store", "true", "store")]
    [InlineData("background", "true", "background")]
    [InlineData("tools", """[{"type":"web_search"}]""", "tools[0].type")]
    public async Task Responses_StatefulParameter_IsRefusedInOpenAiEnvelopeNamingIt(string name, string value, string param)
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var content = new StringContent($$"""{"model":"summarize","input":"hello","{{name}}":{{value}}}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("api/v1/responses", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        OpenAiSpec.AssertValid(OpenAiSpec.Error, body);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal("unsupported_parameter", error.GetProperty("code").GetString());
        Assert.Contains(name, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_AzurePathWithApiKeyHeader_AnswersTheSameWay()
    {
        using var http = stack.Router.CreateClient(null);
        http.DefaultRequestHeaders.Add("api-key", RouterServer.CallerKey);
        using var response = await http.PostAsJsonAsync("api/openai/v1/responses", new { model = "summarize", input = Text });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        OpenAiSpec.AssertValid(OpenAiSpec.Response, body);
        var callId = response.Headers.GetValues("x-router-call-id").Single();
        await stack.Router.DrainAsync();
        Assert.Equal("responses", Assert.Single(await _ledger.WaitForRequestAsync(callId)).Api);
    }

    [Fact]
    public async Task Responses_UnknownTask_Answers404ModelNotFound()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var response = await http.PostAsJsonAsync("api/v1/responses", new { model = "no-such-task", input = "x" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        OpenAiSpec.AssertValid(OpenAiSpec.Error, body);
        Assert.Equal("model_not_found", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    /// <summary>Every event is valid against its spec schema, named as its data's type, numbered 0, 1, 2 ..., in the documented order.</summary>
    internal static void AssertTextStream(IReadOnlyList<SseItem<string>> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            OpenAiSpec.AssertValidEvent(events[i].EventType, events[i].Data);
            Assert.Equal(i, JsonDocument.Parse(events[i].Data).RootElement.GetProperty("sequence_number").GetInt32());
        }

        // Deltas repeat; the order of the distinct steps is the documented one.
        var steps = events.Select(e => e.EventType).Where((type, i) => i == 0 || type != events[i - 1].EventType).ToList();
        Assert.Equal(TextStreamOrder, steps);
    }

    internal static async Task<List<SseItem<string>>> StreamAsync(HttpClient http, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add(item);
        }

        return events;
    }

    private async Task<JsonElement> LastUpstreamRequestAsync(string deployment, string marker, string? alsoContaining = null)
    {
        var log = await stack.Emulator.Control.GetFromJsonAsync<JsonElement>($"emulator/requests?deployment={deployment}");
        var requests = log.ValueKind == JsonValueKind.Array ? log : log.GetProperty("requests");
        foreach (var request in requests.EnumerateArray().Reverse())
        {
            var messages = request.GetProperty("messages").GetRawText();
            if (messages.Contains(marker, StringComparison.Ordinal) && (alsoContaining is null || messages.Contains(alsoContaining, StringComparison.Ordinal)))
            {
                return request;
            }
        }

        throw new Xunit.Sdk.XunitException($"The emulator saw no request for {deployment} containing the marker.");
    }
}
