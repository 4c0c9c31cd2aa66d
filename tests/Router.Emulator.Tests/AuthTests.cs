using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenAI.Chat;

namespace Router.Emulator.Tests;

public sealed class AuthTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Body = """{"model":"gpt-4o","messages":[{"role":"user","content":"hello"}]}""";

    private RunningEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task CompleteChat_AzureWrongKey_Throws401()
    {
        var client = Emulator.AzureChat("gpt-4o", key: "wrong-key");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, error.Status);
    }

    [Fact]
    public async Task CompleteChat_OpenAIWrongKey_Throws401()
    {
        var client = Emulator.OpenAIChat("gpt-4o", key: "wrong-key");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, error.Status);
    }

    [Fact]
    public async Task Post_AzureWithoutKey_Returns401Envelope()
    {
        using var response = await Emulator.PostAzureAsync("gpt-4o", Body, r => r.Headers.Remove("api-key"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Post_AzureWithBearerInsteadOfApiKey_Accepted()
    {
        using var response = await Emulator.PostAzureAsync("gpt-4o", Body, r =>
        {
            r.Headers.Remove("api-key");
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RunningEmulator.Key);
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_OpenAIWithApiKeyHeaderOnly_Returns401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/chat/completions", UriKind.Relative))
        {
            Content = new StringContent(Body),
        };
        request.Headers.Add("api-key", RunningEmulator.Key);

        using var response = await Emulator.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_NoKeyConfigured_AcceptsAnyCaller()
    {
        await using var open = await RunningEmulator.StartAsync(o => o.ApiKey = null);

        using var response = await open.PostAzureAsync("gpt-4o", Body, r => r.Headers.Remove("api-key"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
