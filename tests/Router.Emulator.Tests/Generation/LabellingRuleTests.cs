using OpenAI.Chat;
using Router.Emulator.Options;

namespace Router.Emulator.Tests.Generation;

/// <summary>The configurable classification rule, over HTTP with the real SDK client.</summary>
public sealed class LabellingRuleTests : IAsyncLifetime
{
    private const string System = "Triage the ticket.\nAllowed labels: billing, bug, feature-request, other";
    private RunningEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await RunningEmulator.StartAsync(o =>
    {
        o.Labelling.Keywords["billing"] = ["invoice", "charged", "refund"];
        o.Labelling.Keywords["BUG"] = ["crash", "crashes", "error"];
        o.Labelling.Keywords["feature-request"] = ["please add", "wish"];
        o.Labelling.Fallback = "other";
    });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private async Task<string> AskAsync(string user, string system = System)
    {
        ChatCompletion completion = await _emulator.AzureChat("gpt-4o").CompleteChatAsync([new SystemChatMessage(system), new UserChatMessage(user)]);
        return completion.Content[0].Text;
    }

    [Theory]
    [InlineData("I was CHARGED twice for one order", "billing")]
    [InlineData("The app crashes when I open settings", "bug")]
    [InlineData("Please add a dark theme", "feature-request")]
    [InlineData("The refund page crashes", "billing")]
    [InlineData("It crashes after the refund", "bug")]
    [InlineData("A bug in the invoice", "bug")]
    [InlineData("Where is your office?", "other")]
    [InlineData("The recharged battery lasts long", "other")]
    public async Task Label_KeywordsPerLabel_EarliestWholeWordWinsElseFallback(string user, string expected) =>
        Assert.Equal(expected, await AskAsync(user));

    [Fact]
    public async Task Label_FallbackNotAllowed_HashPicksAnAllowedLabelStably()
    {
        const string system = "Allowed labels: billing, bug";
        var first = await AskAsync("Where is your office?", system);
        Assert.True(first is "billing" or "bug", first);
        Assert.Equal(first, await AskAsync("Where is your office?", system));
    }

    [Fact]
    public async Task Start_EmptyKeyword_FailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningEmulator.StartAsync(o => o.Labelling.Keywords["bug"] = ["crash", " "]));
        Assert.Contains("Emulator:Labelling:Keywords:bug", error.Message, StringComparison.Ordinal);
    }
}
