using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Evaluation;
using Router.Emulator.Options;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Evaluation;

/// <summary>
/// An emulator of its own with the quality knob set on two candidate deployments (10% and 1% of
/// answers differ from the large model's), plus helpers that add a uniquely named task with
/// candidates to a router's settings, so tests sharing one Azurite never read each other's evidence.
/// </summary>
public sealed class ShadowServers : IAsyncLifetime
{
    public const string TenPercent = "cand-10";
    public const string OnePercent = "cand-1";

    /// <summary>Candidate prices (USD per 1M tokens): a tenth of the large model's.</summary>
    public const decimal CandidateInput = 0.25m;
    public const decimal CandidateOutput = 1.00m;

    public static readonly string[] Labels = ["billing", "bug", "feature-request", "account", "other"];

    public EmulatorServer Emulator { get; private set; } = null!;

    public async Task InitializeAsync() => Emulator = await EmulatorServer.StartAsync(o =>
    {
        o.QualitySeed = 1;
        o.Deployments[TenPercent] = new DeploymentOptions { Disagreement = 0.10 };
        o.Deployments[OnePercent] = new DeploymentOptions { Disagreement = 0.01 };
    });

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    public static string NewTaskName() => "shadow-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Router settings on the given Azurite and this emulator, shadowing on, with the two candidate models in the price sheet.</summary>
    public Dictionary<string, string?> Settings(string storageConnection)
    {
        var settings = RouterServer.DefaultSettings(storageConnection, Emulator.Address);
        settings["Router:Shadow:Enabled"] = "true";
        settings["Router:Ledger:RollupFlushInterval"] = "00:00:00.100";
        foreach (var deployment in new[] { TenPercent, OnePercent })
        {
            var at = $"Router:Models:{deployment}:";
            settings[at + "Kind"] = "azure-openai";
            settings[at + "Endpoint"] = Emulator.Address.ToString();
            settings[at + "Deployment"] = deployment;
            settings[at + "Auth"] = "key";
            settings[at + "ApiKey"] = EmulatorServer.ApiKey;
            settings[at + "Prices:InputPerMillion"] = CandidateInput.ToString(CultureInfo.InvariantCulture);
            settings[at + "Prices:OutputPerMillion"] = CandidateOutput.ToString(CultureInfo.InvariantCulture);
            settings[at + "Prices:EffectiveDate"] = "2025-01-01";
        }

        return settings;
    }

    /// <summary>A classification task routed to large with one candidate on <paramref name="candidateModel"/> (large prompt).</summary>
    public static void AddTask(Dictionary<string, string?> settings, string task, string candidateModel, double rate = 1, decimal budget = 100m, string route = "large", double largeShadowRate = 0)
    {
        var at = $"Router:Tasks:{task}:";
        settings[at + "Kind"] = "classification";
        settings[at + "Route"] = route;
        settings[at + "Large:Model"] = "large";
        settings[at + "Large:System"] = "You triage customer support tickets. Answer with the single label of the queue that should handle it.";
        settings[at + "Large:Examples:0:Input"] = "I was charged twice for my subscription this month.";
        settings[at + "Large:Examples:0:Output"] = "billing";
        settings[at + "Small:Model"] = "small";
        settings[at + "Small:System"] = "Triage the ticket.";
        for (var i = 0; i < Labels.Length; i++)
        {
            settings[at + $"Output:Labels:{i}"] = Labels[i];
        }

        settings[at + "MaxOutputTokens"] = "8";
        settings[at + "Candidates:cand:Model"] = candidateModel;
        settings[at + "Candidates:cand:Prompt"] = "large";
        settings[at + "Candidates:cand:ShadowRate"] = rate.ToString(CultureInfo.InvariantCulture);
        settings[at + "Candidates:cand:DailyBudgetUsd"] = budget.ToString(CultureInfo.InvariantCulture);
        settings[at + "LargeShadow:ShadowRate"] = largeShadowRate.ToString(CultureInfo.InvariantCulture);
        settings[at + "LargeShadow:DailyBudgetUsd"] = "100";
    }

    /// <summary>A generation task routed to large, one candidate on <paramref name="candidateModel"/> (large prompt) and the large model as its judge.</summary>
    public static void AddJudgedGenerationTask(Dictionary<string, string?> settings, string task, string candidateModel)
    {
        var at = $"Router:Tasks:{task}:";
        settings[at + "Kind"] = "generation";
        settings[at + "Route"] = "large";
        settings[at + "Description"] = "Summarise a support ticket in one sentence.";
        settings[at + "Large:Model"] = "large";
        settings[at + "Large:System"] = "Summarise the support ticket in one sentence.";
        settings[at + "MaxOutputTokens"] = "60";
        settings[at + "Candidates:cand:Model"] = candidateModel;
        settings[at + "Candidates:cand:Prompt"] = "large";
        settings[at + "Candidates:cand:ShadowRate"] = "1";
        settings[at + "Candidates:cand:DailyBudgetUsd"] = "100";
        settings[at + "Judge:Model"] = "large";
    }

    /// <summary>Distinct ticket texts (no label word in them, so the emulator's pick is its stable hash of the text).</summary>
    public static string Ticket(int i) => $"Ticket {i}: my order number {i * 37 + 11} arrived late and the box was open";

    /// <summary>Serves <paramref name="count"/> calls (up to 8 at once) and returns the response bodies in order.</summary>
    public static async Task<List<JsonElement>> RouteAsync(RouterServer router, string task, int count, int offset = 0, int parallel = 8)
    {
        using var http = router.CreateClient(RouterServer.CallerKey);
        using var gate = new SemaphoreSlim(parallel);
        var calls = Enumerable.Range(offset, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await http.PostAsJsonAsync("api/route", new { task, input = Ticket(i) });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }
            finally
            {
                gate.Release();
            }
        });
        return [.. await Task.WhenAll(calls)];
    }

    /// <summary>Waits until every queued shadow call has run and its record has been written (the ledger is drained).</summary>
    public static async Task SettleAsync(RouterServer router, TimeSpan? timeout = null)
    {
        var shadows = router.Services.GetRequiredService<ShadowDispatcher>();
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(60));
        while (shadows.Pending > 0)
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"{shadows.Pending} shadow calls still pending.");
            }

            await Task.Delay(25);
        }

        await router.DrainAsync();
    }

    /// <summary>Polls the evidence until the task's shadow rollups count <paramref name="calls"/> calls.</summary>
    public static async Task<IReadOnlyList<CandidateEvidence>> WaitForEvidenceAsync(RouterServer router, string task, long calls, TimeSpan? timeout = null)
    {
        var reader = router.Services.GetRequiredService<ShadowEvidenceReader>();
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(30));
        var from = TimeProvider.System.GetUtcNow().AddDays(-1);
        var to = TimeProvider.System.GetUtcNow().AddDays(1);
        var evidence = await reader.ReadAsync(from, to, task, CancellationToken.None);
        while (evidence.Sum(e => e.Calls) < calls && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(50);
            evidence = await reader.ReadAsync(from, to, task, CancellationToken.None);
        }

        return evidence;
    }
}
