using System.Net.Http.Json;
using System.Text.Json;
using OpenAI.Chat;
using Router.Emulator.Options;

namespace Router.Emulator.Tests.Quality;

public sealed class QualityKnobTests : IAsyncLifetime
{
    private const string Reference = "reference-deployment";
    private const string Candidate = "candidate-deployment";
    private const string LabelsSystem = "Triage the ticket.\nAllowed labels: billing, bug, other";
    private static readonly string[] Labels = ["billing", "bug", "other"];
    private RunningEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await RunningEmulator.StartAsync(o =>
    {
        o.QualitySeed = 7;
        o.Deployments[Candidate] = new DeploymentOptions { Disagreement = 0.25 };
    });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private static IEnumerable<string> Inputs(int count) => Enumerable.Range(0, count).Select(i => $"Ticket {i}: the invoice for order {i * 7} looks wrong to me");

    private async Task<string> AskAsync(string deployment, string system, string user, bool json = false)
    {
        var options = new ChatCompletionOptions();
        if (json)
        {
            options.ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat();
        }

        ChatCompletion completion = await _emulator.AzureChat(deployment).CompleteChatAsync([new SystemChatMessage(system), new UserChatMessage(user)], options);
        return completion.Content[0].Text;
    }

    [Fact]
    public async Task Labels_ShareOfInputs_DifferFromTheReferenceAndTheCountersSaySoExactly()
    {
        var differing = 0;
        foreach (var input in Inputs(400))
        {
            var expected = await AskAsync(Reference, LabelsSystem, input);
            var actual = await AskAsync(Candidate, LabelsSystem, input);
            Assert.Contains(actual, Labels);
            differing += expected == actual ? 0 : 1;
        }

        var counters = await _emulator.Http.GetFromJsonAsync<Dictionary<string, JsonElement>>("/emulator/quality");
        Assert.Equal(400, counters![Candidate].GetProperty("answers").GetInt64());
        Assert.Equal(differing, counters[Candidate].GetProperty("altered").GetInt64());
        Assert.False(counters.ContainsKey(Reference), "a deployment without a knob answers the reference");
        // Binomial(400, 0.25): sd ≈ 8.7; ±4 sd.
        Assert.InRange(differing, 65, 135);
    }

    [Fact]
    public async Task SameInput_AlwaysTheSameAnswer()
    {
        foreach (var input in Inputs(30))
        {
            Assert.Equal(await AskAsync(Candidate, LabelsSystem, input), await AskAsync(Candidate, LabelsSystem, input));
        }
    }

    [Fact]
    public async Task Json_AlteredAnswer_ChangesTheFirstFieldAndStaysJson()
    {
        var altered = 0;
        foreach (var input in Inputs(60))
        {
            var expected = JsonDocument.Parse(await AskAsync(Reference, "Extract.", input, json: true)).RootElement;
            var actual = JsonDocument.Parse(await AskAsync(Candidate, "Extract.", input, json: true)).RootElement;
            if (!JsonElement.DeepEquals(expected, actual))
            {
                altered++;
                Assert.Equal("altered " + expected.GetProperty("summary").GetString(), actual.GetProperty("summary").GetString());
            }
        }

        Assert.InRange(altered, 1, 59);
    }

    [Fact]
    public async Task Text_AlteredAnswer_IsRewordedAndShorter()
    {
        var altered = 0;
        foreach (var input in Inputs(60))
        {
            var expected = await AskAsync(Reference, "Summarize.", input);
            var actual = await AskAsync(Candidate, "Summarize.", input);
            if (expected != actual)
            {
                altered++;
                Assert.StartsWith(Router.Emulator.Quality.QualityKnob.ReworkPrefix, actual, StringComparison.Ordinal);
                Assert.True(actual.Length < expected.Length + Router.Emulator.Quality.QualityKnob.ReworkPrefix.Length);
            }
        }

        Assert.InRange(altered, 1, 59);
    }

    [Fact]
    public async Task OtherSeed_ChoosesOtherInputs()
    {
        await using var other = await RunningEmulator.StartAsync(o =>
        {
            o.QualitySeed = 8;
            o.Deployments[Candidate] = new DeploymentOptions { Disagreement = 0.25 };
        });
        var inputs = Inputs(80).ToList();
        var mine = new List<string>();
        var theirs = new List<string>();
        foreach (var input in inputs)
        {
            mine.Add(await AskAsync(Candidate, LabelsSystem, input));
            ChatCompletion completion = await other.AzureChat(Candidate).CompleteChatAsync([new SystemChatMessage(LabelsSystem), new UserChatMessage(input)]);
            theirs.Add(completion.Content[0].Text);
        }

        Assert.NotEqual(mine, theirs);
    }
}
