using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.Functions.Tests.Infrastructure;
using Router.Functions.Tests.OpenAi;

namespace Router.Functions.Tests.Functions;

/// <summary>Bad input at POST /api/v1/chat/completions: a 4xx in OpenAI's envelope naming the parameter, and no call recorded.</summary>
[Collection(SharedServersDefinition.Name)]
public sealed class ChatCompletionsBadInputTests(SharedServers stack)
{
    private const string User = "{\"role\":\"user\",\"content\":\"hello\"}";

    public static TheoryData<string, int, string?, string?> Bodies => new()
    {
        // body, status, param, code
        { "{\"model\":\"summarize\",\"messages\":[" + User + "],\"n\":2}", 400, "n", "unsupported_parameter" },
        { "{\"model\":\"summarize\",\"messages\":[" + User + "],\"tools\":[{\"type\":\"web_search\"}]}", 400, "tools[0].type", "unsupported_parameter" },
        { "{\"model\":\"summarize\",\"messages\":[" + User + "],\"functions\":[]}", 400, "functions", "unsupported_parameter" },
        { "{\"model\":\"summarize\",\"messages\":[" + User + "],\"logprobs\":true}", 400, "logprobs", "unsupported_parameter" },
        { "{\"model\":\"summarize\",\"messages\":[]}", 400, "messages", "invalid_value" },
        { "{\"model\":\"summarize\"}", 400, "messages", "missing_required_parameter" },
        { "{\"messages\":[" + User + "]}", 400, "model", "missing_required_parameter" },
        { "{\"model\":42,\"messages\":[" + User + "]}", 400, "model", "invalid_value" },
        { "{\"model\":\"summarize\",\"messages\":\"hello\"}", 400, "messages", "invalid_value" },
        { "{\"model\":\"summarize\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", 400, "messages[0].role", "invalid_value" },
        { "{\"model\":\"summarize\",\"messages\":[" + User + ",{\"role\":\"tool\",\"content\":\"hi\",\"tool_call_id\":\"x\"}]}", 400, "messages[1].tool_call_id", "invalid_value" },
        { "{\"model\":\"summarize\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]}", 400, "messages[0].content[0].type", "unsupported_parameter" },
        { "{\"model\":\"summarize\",\"messages\":[{\"role\":\"user\",\"content\":5}]}", 400, "messages[0].content", "invalid_value" },
        { "{\"model\":\"summarize\",\"messages\":[{\"role\":\"system\",\"content\":\"only system\"}]}", 400, "messages", "invalid_value" },
        { "{\"model\":\"summarize\",\"messages\":[" + User + "],\"temperature\":\"hot\"}", 400, "temperature", "invalid_value" },
        { "{\"model\":\"summarize\",\"messages\":[" + User + "],\"max_tokens\":0}", 400, "max_tokens", "invalid_value" },
        { "{\"model\":\"summarize\",\"messages\":[" + User + "],\"stream\":\"yes\"}", 400, "stream", "invalid_value" },
        { "{\"model\":\"summarize\",\"messages\":[" + User + "],\"stream_options\":{\"include_usage\":true}}", 400, "stream_options", "invalid_value" },
        { "{\"model\":\"summarize\",\"messages\":[{\"role\":\"user\",\"content\":\"a \\uDD3D b\"}]}", 400, "$.messages[0].content", "invalid_request" },
        { "{\"model\":\"summarize\",\"messages\":[" + User + "]", 400, null, "invalid_request" },
        { "[]", 400, null, "invalid_request" },
        { "", 400, null, "invalid_request" },
        { "{\"model\":\"no-such-task\",\"messages\":[" + User + "]}", 404, "model", "model_not_found" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task ChatCompletions_BadBody_Answers4xxEnvelopeNamingParam(string body, int status, string? param, string? code)
    {
        var text = await PostAsync(Encoding.UTF8.GetBytes(body), "application/json", status);

        using var json = JsonDocument.Parse(text);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task ChatCompletions_InvalidUtf8_Answers400()
    {
        byte[] body = [.. "{\"model\":\"summarize\",\"messages\":[{\"role\":\"user\",\"content\":\"a "u8, 0xC3, 0x28, .. "\"}]}"u8];
        var text = await PostAsync(body, "application/json", 400);
        Assert.Contains("UTF-8", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_BodyOverLimit_Answers413()
    {
        var body = Encoding.UTF8.GetBytes("{\"model\":\"summarize\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('x', (1024 * 1024) + 10) + "\"}]}");
        var text = await PostAsync(body, "application/json", 413);
        Assert.Contains("Router:MaxRequestBodyBytes", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_WrongContentType_Answers415()
    {
        await PostAsync(Encoding.UTF8.GetBytes("{}"), "text/plain", 415);
    }

    [Fact]
    public async Task Route_LoneSurrogateEscape_Answers400ProblemNotCrash()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var content = new StringContent("{\"task\":\"summarize\",\"input\":\"a \\uDD3D\\uDE00 b\"}", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("api/route", content);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("$.input", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<string> PostAsync(byte[] body, string contentType, int status)
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await http.PostAsync("api/v1/chat/completions", content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        OpenAiSpec.AssertValid(OpenAiSpec.Error, text);
        Assert.False(response.Headers.Contains("x-router-call-id"));
        return text;
    }
}
