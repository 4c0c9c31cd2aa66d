using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Catalog;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.OpenAi;

/// <summary>
/// docs/openai-compat.md's parameter table is what the router does: every row is probed (sent
/// to POST /api/v1/chat/completions) and its handling checked — forwarded (the emulator's
/// request log shows it as sent), capped (upstream at most the task's cap, and the header says
/// so), accepted (taken, not sent upstream) or refused (400 naming it). A row without a probe,
/// or a probe without a row, fails.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed partial class ParameterTableTests(SharedServers stack)
{
    private const string Task = "summarize";

    /// <summary>(parameter, value sent, expected handling). Refused and capped probes send the value that triggers it.</summary>
    private static readonly (string Param, string Json, string Handling)[] Probes =
    [
        ("model", "\"summarize\"", "required"),
        ("messages", "[]", "required"),
        ("stream", "true", "forwarded"),
        ("stream_options", "{\"include_usage\":true}", "accepted"),
        ("temperature", "0.5", "forwarded"),
        ("top_p", "0.5", "forwarded"),
        ("stop", "[\"zzz-never\",\"END\"]", "forwarded"),
        ("seed", "42", "forwarded"),
        ("presence_penalty", "0.5", "forwarded"),
        ("frequency_penalty", "-0.5", "forwarded"),
        ("logit_bias", "{\"1234\":5}", "forwarded"),
        ("user", "\"end-user-7\"", "forwarded"),
        ("max_tokens", "100000", "capped"),
        ("max_completion_tokens", "100000", "capped"),
        ("reasoning_effort", "\"low\"", "refused"),
        ("parallel_tool_calls", "true", "accepted"),
        ("store", "false", "accepted"),
        ("store", "true", "refused"),
        ("n", "1", "accepted"),
        ("n", "2", "refused"),
        ("logprobs", "false", "accepted"),
        ("logprobs", "true", "refused"),
        ("top_logprobs", "2", "refused"),
        ("response_format", "{\"type\":\"json_object\"}", "forwarded"),
        ("tools", "[{\"type\":\"function\",\"function\":{\"name\":\"lookup\"}}]", "forwarded"),
        ("tool_choice", "\"required\"", "forwarded"),
        ("tool_choice", "\"auto\"", "accepted"),
        ("functions", "[{\"name\":\"lookup\"}]", "refused"),
        ("function_call", "\"auto\"", "refused"),
        ("audio", "{\"voice\":\"alloy\",\"format\":\"mp3\"}", "refused"),
        ("modalities", "[\"text\",\"audio\"]", "refused"),
        ("prediction", "{\"type\":\"content\",\"content\":\"x\"}", "refused"),
        ("web_search_options", "{}", "refused"),
        ("metadata", "{\"team\":\"search\"}", "accepted"),
    ];

    public static TheoryData<string, string, string> ProbeData()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (param, json, handling) in Probes.Where(p => p.Handling != "required"))
        {
            data.Add(param, json, handling);
        }

        return data;
    }

    [Fact]
    public void ParameterTable_EveryRowHasAProbeAndEveryProbeARow()
    {
        var table = ReadTable();
        Assert.True(table.Count >= 25, $"the parameter table in docs/openai-compat.md has {table.Count} rows");
        foreach (var (param, handling) in table)
        {
            var probes = Probes.Where(p => p.Param == param).ToList();
            Assert.True(probes.Count > 0, $"docs/openai-compat.md lists '{param}' but no probe checks it");
            foreach (var probe in probes)
            {
                Assert.True(handling.Contains(probe.Handling, StringComparison.Ordinal), $"'{param}': the table says '{handling}', the probe expects '{probe.Handling}'");
            }

            // A conditional row ("accepted when false, refused when true") is probed both ways.
            foreach (var word in (string[])["forwarded", "capped", "accepted", "refused"])
            {
                if (handling.Contains(word, StringComparison.Ordinal) && word != "forwarded")
                {
                    Assert.True(probes.Exists(p => p.Handling == word), $"'{param}': the table says '{handling}', but no probe checks '{word}'");
                }
            }
        }

        foreach (var probe in Probes)
        {
            Assert.True(table.ContainsKey(probe.Param), $"probe '{probe.Param}' has no row in docs/openai-compat.md");
        }
    }

    [Theory]
    [MemberData(nameof(ProbeData))]
    public async Task ChatCompletions_TableParameter_HandledAsDocumented(string param, string json, string handling)
    {
        var marker = "param-" + Guid.NewGuid().ToString("N");
        var body = new JsonObject
        {
            ["model"] = Task,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Please summarize this note about the quarterly plan. " + marker }),
            [param] = JsonNode.Parse(json),
        };
        if (param == "stream_options")
        {
            body["stream"] = true;
        }

        // tool_choice goes upstream only beside tools (the API refuses it alone): its forwarded probe brings one.
        if (param == "tool_choice" && handling == "forwarded")
        {
            body["tools"] = JsonNode.Parse("[{\"type\":\"function\",\"function\":{\"name\":\"lookup\"}}]");
        }

        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var response = await http.PostAsync("api/v1/chat/completions", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        if (handling == "refused")
        {
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{param}={json}: expected 400, got {(int)response.StatusCode}: {text}");
            OpenAiSpec.AssertValid(OpenAiSpec.Error, text);
            using var error = JsonDocument.Parse(text);
            Assert.Equal(param, error.RootElement.GetProperty("error").GetProperty("param").GetString());
            Assert.Empty(await EmulatorRequests.WithMarkerAsync(stack.Emulator, marker));
            return;
        }

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{param}={json}: expected 200, got {(int)response.StatusCode}: {text}");
        var upstream = await EmulatorRequests.SingleWithMarkerAsync(stack.Emulator, marker);
        var parameters = upstream.GetProperty("parameters");
        switch (handling)
        {
            case "forwarded" when param == "stream":
                Assert.True(upstream.GetProperty("stream").GetBoolean());
                break;
            case "forwarded":
                Assert.True(parameters.TryGetProperty(param, out var sent), $"{param} was not sent upstream: {parameters}");
                Assert.True(SameJson(JsonNode.Parse(json)!, JsonNode.Parse(sent.GetRawText())!), $"{param}: sent {json}, upstream got {sent.GetRawText()}");
                break;
            case "capped":
                var cap = stack.Router.Services.GetRequiredService<TaskCatalog>().Tasks.Single(t => t.Name == Task).MaxOutputTokens!.Value;
                Assert.Equal(cap, upstream.GetProperty("maxTokens").GetInt32());
                Assert.Equal(cap.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(response.Headers.GetValues("x-router-max-tokens-capped")));
                break;
            case "accepted":
                Assert.False(parameters.TryGetProperty(param, out var leaked) && param != "stream_options", $"{param} was accepted but also sent upstream: {leaked}");
                break;
            default:
                throw new Xunit.Sdk.XunitException($"unknown handling {handling}");
        }
    }

    [Fact]
    public async Task ChatCompletions_ReasoningEffortOnReasoningDeployment_IsForwarded()
    {
        var settings = stack.Settings;
        settings["Router:Models:large:Reasoning"] = "true";
        await using var router = await RouterServer.StartAsync(settings);
        var marker = "reasoning-" + Guid.NewGuid().ToString("N");
        using var http = router.CreateClient(RouterServer.CallerKey);
        using var response = await http.PostAsJsonAsync("api/v1/chat/completions", new
        {
            model = Task,
            reasoning_effort = "high",
            messages = new[] { new { role = "user", content = "Summarize the plan. " + marker } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = await EmulatorRequests.SingleWithMarkerAsync(stack.Emulator, marker);
        Assert.Equal("high", upstream.GetProperty("parameters").GetProperty("reasoning_effort").GetString());
        // Azure takes reasoning_effort from 2024-12-01-preview on: the router pins the version it sends, whatever the SDK's default.
        Assert.Equal("2025-04-01-preview", upstream.GetProperty("apiVersion").GetString());

        // ticket-triage can reach the small deployment, which is not a reasoning one: refused, naming the parameter.
        using var refused = await http.PostAsJsonAsync("api/v1/chat/completions", new
        {
            model = "ticket-triage",
            reasoning_effort = "high",
            messages = new[] { new { role = "user", content = "I was charged twice." } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("reasoning_effort", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task ChatCompletions_TwoTextParts_JoinedWithNewline()
    {
        var marker = "parts-" + Guid.NewGuid().ToString("N");
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var response = await http.PostAsJsonAsync("api/v1/chat/completions", new
        {
            model = Task,
            messages = new[] { new { role = "user", content = new[] { new { type = "text", text = "first part" }, new { type = "text", text = "second " + marker } } } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = await EmulatorRequests.SingleWithMarkerAsync(stack.Emulator, marker);
        Assert.Equal("first part\nsecond " + marker, upstream.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString());
    }

    /// <summary>The rows of the "| parameter | handling | notes |" table: `name` -> handling text.</summary>
    private static Dictionary<string, string> ReadTable()
    {
        var doc = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "docs", "openai-compat.md"));
        var start = Array.FindIndex(doc, l => l.StartsWith("| parameter | handling |", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/openai-compat.md has no '| parameter | handling |' table");
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in doc.Skip(start + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var match = Row().Match(line);
            Assert.True(match.Success, $"unreadable table row: {line}");
            rows.Add(match.Groups["param"].Value, match.Groups["handling"].Value.Trim());
        }

        return rows;
    }

    private static bool SameJson(JsonNode expected, JsonNode actual) => (expected, actual) switch
    {
        (JsonValue e, JsonValue a) when e.GetValueKind() == JsonValueKind.Number => Math.Abs(e.GetValue<double>() - a.GetValue<double>()) < 1e-6,
        _ => JsonNode.DeepEquals(expected, actual),
    };

    [GeneratedRegex(@"^\| `(?<param>[a-z_]+)` \| (?<handling>[^|]+) \|")]
    private static partial Regex Row();
}
