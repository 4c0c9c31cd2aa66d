using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Functions;

[Collection(SharedServersDefinition.Name)]
public sealed class RouteFunctionBadInputTests(SharedServers stack)
{
    public static TheoryData<string, string?, string, string?, int, string> Cases => new()
    {
        // name, key, content type, body (null: oversize), expected status, words the detail must contain
        { "malformed JSON", RouterServer.CallerKey, "application/json", "{\"task\": \"summarize\", \"input\": ", 400, "not valid JSON" },
        { "not an object", RouterServer.CallerKey, "application/json", "[1,2]", 400, "JSON object" },
        { "wrong content type", RouterServer.CallerKey, "text/plain", "{\"task\":\"summarize\",\"input\":\"hi\"}", 415, "Content-Type" },
        { "missing task", RouterServer.CallerKey, "application/json", "{\"input\":\"hi\"}", 400, "'task' is required" },
        { "task not a string", RouterServer.CallerKey, "application/json", "{\"task\":42,\"input\":\"hi\"}", 400, "'task' must be a string" },
        { "unknown task", RouterServer.CallerKey, "application/json", "{\"task\":\"no-such-task\",\"input\":\"hi\"}", 404, "Unknown task 'no-such-task'" },
        { "empty input", RouterServer.CallerKey, "application/json", "{\"task\":\"summarize\",\"input\":\"  \"}", 400, "'input' must not be empty" },
        { "unknown property", RouterServer.CallerKey, "application/json", "{\"task\":\"summarize\",\"input\":\"hi\",\"maxTokens\":5}", 400, "Unknown property 'maxTokens'" },
        { "bad maxOutputTokens", RouterServer.CallerKey, "application/json", "{\"task\":\"summarize\",\"input\":\"hi\",\"maxOutputTokens\":-1}", 400, "'maxOutputTokens'" },
        { "body over the limit", RouterServer.CallerKey, "application/json", null, 413, "larger than the limit" },
        { "missing key", null, "application/json", "{\"task\":\"summarize\",\"input\":\"hi\"}", 401, "Missing or invalid key" },
        { "wrong key", "not-a-key", "application/json", "{\"task\":\"summarize\",\"input\":\"hi\"}", 401, "Missing or invalid key" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Route_BadInput_Answers4xxProblemNamingTheProblemAndWritesNoRow(string name, string? key, string contentType, string? body, int status, string detail)
    {
        await stack.Router.DrainAsync();
        var before = (await new LedgerReader(stack.Azurite.ConnectionString).AllAsync()).Count;

        using var http = stack.Router.CreateClient(key);
        var payload = body ?? "{\"task\":\"summarize\",\"input\":\"" + new string('a', (1024 * 1024) + 10) + "\"}";
        using var content = new StringContent(payload, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await http.PostAsync("api/route", content);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await stack.Router.DrainAsync();
        var after = (await new LedgerReader(stack.Azurite.ConnectionString).AllAsync()).Count;
        Assert.True(before == after, $"{name}: a rejected request wrote {after - before} rows");
    }

    [Fact]
    public async Task Route_InvalidUtf8_Answers400()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var bytes = Encoding.UTF8.GetBytes("{\"task\":\"summarize\",\"input\":\"x\"}").ToList();
        bytes.InsertRange(bytes.Count - 3, [0xC3, 0x28]);
        using var content = new ByteArrayContent([.. bytes]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync("api/route", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
