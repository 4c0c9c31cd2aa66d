using System.Net;
using System.Text.Json;
using OpenAI.Chat;

namespace Router.Emulator.Tests;

public sealed class RequestLogTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private RunningEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task GetRequests_AfterSdkCalls_RecordsMessagesWireFormatAndMaxTokens()
    {
        await Emulator.AzureChat("gpt-4o-log-azure").CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Log me")], new ChatCompletionOptions { MaxOutputTokenCount = 5 });
        await Emulator.OpenAIChat("gpt-4o-log-openai").CompleteChatAsync([new UserChatMessage("Log me too")]);

        var azure = Assert.Single((await Emulator.GetJsonAsync("/emulator/requests?deployment=gpt-4o-log-azure")).EnumerateArray());
        var openai = Assert.Single((await Emulator.GetJsonAsync("/emulator/requests?deployment=gpt-4o-log-openai")).EnumerateArray());

        Assert.Equal("azure", azure.GetProperty("wireFormat").GetString());
        Assert.Equal(5, azure.GetProperty("maxTokens").GetInt32());
        Assert.False(azure.GetProperty("stream").GetBoolean());
        var messages = azure.GetProperty("messages");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal("Log me", ContentText(messages[1]));
        Assert.Equal("openai", openai.GetProperty("wireFormat").GetString());
        Assert.Equal("Log me too", ContentText(openai.GetProperty("messages")[0]));
    }

    [Fact]
    public async Task GetRequests_ClientRequestIdHeader_IsRecorded()
    {
        using var response = await Emulator.PostAzureAsync(
            "gpt-4o-log-id", """{"messages":[{"role":"user","content":"x"}]}""", r => r.Headers.Add("x-ms-client-request-id", "req-42"));

        var recorded = Assert.Single((await Emulator.GetJsonAsync("/emulator/requests?deployment=gpt-4o-log-id")).EnumerateArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("req-42", recorded.GetProperty("clientRequestId").GetString());
    }

    [Fact]
    public async Task DeleteRequests_AfterCalls_EmptiesLog()
    {
        using var response = await Emulator.PostAzureAsync("gpt-4o-log-clear", """{"messages":[{"role":"user","content":"x"}]}""");
        Assert.Single((await Emulator.GetJsonAsync("/emulator/requests?deployment=gpt-4o-log-clear")).EnumerateArray());

        using var deleted = await Emulator.Http.DeleteAsync(new Uri("/emulator/requests", UriKind.Relative));

        Assert.Empty((await Emulator.GetJsonAsync("/emulator/requests")).EnumerateArray());
    }

    [Fact]
    public async Task GetRequests_MoreThanCapacity_KeepsNewestOnly()
    {
        await using var small = await RunningEmulator.StartAsync(o => o.RequestLogCapacity = 3);
        for (var i = 0; i < 5; i++)
        {
            using var response = await small.PostAzureAsync("gpt-4o", $$"""{"messages":[{"role":"user","content":"n{{i}}"}]}""");
        }

        var recorded = (await small.GetJsonAsync("/emulator/requests")).EnumerateArray()
            .Select(r => r.GetProperty("messages")[0].GetProperty("content").GetString()).ToList();

        Assert.Equal(["n2", "n3", "n4"], recorded);
    }

    /// <summary>The SDK may send content as a string or as text parts; both carry the same text.</summary>
    private static string ContentText(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }
}
