using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenAI.Chat;

namespace Router.Emulator.Tests;

public sealed class ChatCompletionsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string SystemPrompt = "You are a helpful assistant.";
    private const string User = "Please summarise the quarterly revenue report for the board meeting tomorrow.";
    private static readonly string[] Labels = ["billing", "technical", "account", "other"];

    private RunningEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task CompleteChat_AzureWireFormat_UsageMatchesIndependentTokenCount()
    {
        var client = Emulator.AzureChat("gpt-4o-azure-usage");

        ChatCompletion completion = await client.CompleteChatAsync([new SystemChatMessage(SystemPrompt), new UserChatMessage(User)]);

        var text = completion.Content[0].Text;
        Assert.Equal(IndependentTokenCount.Prompt(("system", SystemPrompt), ("user", User)), completion.Usage.InputTokenCount);
        Assert.Equal(IndependentTokenCount.Text(text), completion.Usage.OutputTokenCount);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.StartsWith("Summary: Please summarise", text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("gpt-4o-azure-usage", completion.Model);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_OpenAIWireFormat_UsageMatchesIndependentTokenCount()
    {
        var client = Emulator.OpenAIChat("gpt-4o-openai-usage");

        ChatCompletion completion = await client.CompleteChatAsync([new SystemChatMessage(SystemPrompt), new UserChatMessage(User)]);

        Assert.Equal(IndependentTokenCount.Prompt(("system", SystemPrompt), ("user", User)), completion.Usage.InputTokenCount);
        Assert.Equal(IndependentTokenCount.Text(completion.Content[0].Text), completion.Usage.OutputTokenCount);
        Assert.Equal(0, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal("gpt-4o-openai-usage", completion.Model);
    }

    [Fact]
    public async Task CompleteChat_ContentAsTextParts_CountsJoinedText()
    {
        var client = Emulator.OpenAIChat("gpt-4o-parts");
        var message = new UserChatMessage(ChatMessageContentPart.CreateTextPart("First part. "), ChatMessageContentPart.CreateTextPart("Second part."));

        ChatCompletion completion = await client.CompleteChatAsync([message]);

        Assert.Equal(IndependentTokenCount.Prompt(("user", "First part. Second part.")), completion.Usage.InputTokenCount);
        Assert.Equal("Summary: First part. Second part.", completion.Content[0].Text);
    }

    [Fact]
    public async Task CompleteChat_LabelWordInUserMessage_ReturnsEarliestMentionedLabel()
    {
        var client = Emulator.AzureChat("gpt-4o-mini-labels");

        ChatCompletion completion = await client.CompleteChatAsync(
        [
            new SystemChatMessage("Classify the ticket.\nAllowed labels: billing, technical, account, other"),
            new UserChatMessage("My ACCOUNT page shows a billing error"),
        ]);

        Assert.Equal("account", completion.Content[0].Text);
    }

    [Fact]
    public async Task CompleteChat_LabelsWithoutMention_ReturnsStableHashedLabelEveryTime()
    {
        var client = Emulator.AzureChat("gpt-4o-mini-labels-hash");
        const string user = "Something odd happened yesterday evening";
        ChatMessage[] messages = [new SystemChatMessage("Allowed labels: billing, technical, account, other"), new UserChatMessage(user)];

        var answers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ChatCompletion completion = await client.CompleteChatAsync(messages);
            answers.Add(completion.Content[0].Text);
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(user));
        var expected = Labels[(int)(BinaryPrimitives.ReadUInt32BigEndian(digest) % (uint)Labels.Length)];
        Assert.All(answers, answer => Assert.Equal(expected, answer));
    }

    [Fact]
    public async Task CompleteChat_LabelAsPartOfLongerWord_IsNotTakenAsMention()
    {
        var client = Emulator.AzureChat("gpt-4o-mini-labels-word");
        const string user = "The otherwise fine rebilling flow";

        ChatCompletion completion = await client.CompleteChatAsync(
            [new SystemChatMessage("Allowed labels: billing, other"), new UserChatMessage(user)]);

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(user));
        string[] labels = ["billing", "other"];
        Assert.Equal(labels[(int)(BinaryPrimitives.ReadUInt32BigEndian(digest) % 2)], completion.Content[0].Text);
    }

    [Fact]
    public async Task CompleteChat_JsonObjectResponseFormat_ReturnsParsableJsonWithSummary()
    {
        var client = Emulator.OpenAIChat("gpt-4o-json");
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() };

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Extract \"quoted\" things from this text please")], options);

        using var json = JsonDocument.Parse(completion.Content[0].Text);
        Assert.Equal("Extract \"quoted\" things from this text please", json.RootElement.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task CompleteChat_SystemAsksForJson_ReturnsParsableJson()
    {
        var client = Emulator.AzureChat("gpt-4o-json-prompt");

        ChatCompletion completion = await client.CompleteChatAsync(
            [new SystemChatMessage("Respond with JSON only."), new UserChatMessage("one two three")]);

        using var json = JsonDocument.Parse(completion.Content[0].Text);
        Assert.Equal("one two three", json.RootElement.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task CompleteChat_MaxOutputTokens_TruncatesWithLengthFinishReason()
    {
        var client = Emulator.AzureChat("gpt-4o-max-tokens");
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 3 };

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage(User)], options);

        Assert.Equal(3, completion.Usage.OutputTokenCount);
        Assert.Equal(3, IndependentTokenCount.Text(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
    }

    [Fact]
    public async Task CompleteChat_LongInput_OutputStaysWithinDefaultTokens()
    {
        var client = Emulator.AzureChat("gpt-4o-long");
        var longText = string.Join(' ', Enumerable.Range(0, 500).Select(i => $"word{i}"));

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage(longText)]);

        Assert.InRange(completion.Usage.OutputTokenCount, 1, 60);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task CompleteChat_SameInputTwice_SameOutput()
    {
        var client = Emulator.OpenAIChat("gpt-4o-deterministic");

        ChatCompletion first = await client.CompleteChatAsync([new UserChatMessage("Tell me about deterministic emulators")]);
        ChatCompletion second = await client.CompleteChatAsync([new UserChatMessage("Tell me about deterministic emulators")]);

        Assert.Equal(first.Content[0].Text, second.Content[0].Text);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Theory]
    [InlineData("azure")]
    [InlineData("openai")]
    public async Task CompleteChatStreaming_Sdk_YieldsSameContentAndFinalUsage(string wireFormat)
    {
        var deployment = $"gpt-4o-stream-{wireFormat}";
        var client = wireFormat == "azure" ? Emulator.AzureChat(deployment) : Emulator.OpenAIChat(deployment);
        ChatMessage[] messages = [new UserChatMessage(User)];
        ChatCompletion whole = await client.CompleteChatAsync(messages);

        var streamed = new StringBuilder();
        var updates = 0;
        ChatTokenUsage? usage = null;
        ChatFinishReason? finishReason = null;
        await foreach (var update in client.CompleteChatStreamingAsync(messages))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }

            usage ??= update.Usage;
            finishReason ??= update.FinishReason;
        }

        Assert.Equal(whole.Content[0].Text, streamed.ToString());
        Assert.True(updates > 3, $"expected several chunks, got {updates}");
        Assert.Equal(ChatFinishReason.Stop, finishReason);
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Post_StreamWithoutIncludeUsage_EndsWithDoneAndNoUsageChunk()
    {
        using var response = await Emulator.PostAzureAsync(
            "gpt-4o-raw-stream", """{"stream":true,"messages":[{"role":"user","content":"hi there"}]}""");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"usage\"", body, StringComparison.Ordinal);
        Assert.Contains("\"finish_reason\":\"stop\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_MalformedJsonBody_Returns400Envelope()
    {
        using var response = await Emulator.PostAzureAsync("gpt-4o-bad", "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Post_NoMessages_Returns400EnvelopeNamingMessages()
    {
        using var response = await Emulator.PostAzureAsync("gpt-4o-bad", """{"messages":[]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("messages", json.RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task GetHealth_Always_ReturnsOk()
    {
        var health = await Emulator.GetJsonAsync("/health");

        Assert.Equal("ok", health.GetProperty("status").GetString());
    }
}
