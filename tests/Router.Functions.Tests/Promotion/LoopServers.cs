using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Router.Core.Tests.Classifier;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Promotion;

/// <summary>
/// The local stack of the distillation loop, of its own (fresh tables and blobs, nothing shared with other
/// tests): Azurite with its Table and Blob services, and an emulator whose "large model" labels tickets by
/// the keyword lists scripts/run-local.sh ships (<see cref="KeywordCorpus"/>), so a classifier can learn it, and
/// serves one more deployment, <see cref="ExternalDeployment"/>, that disagrees on a known share of inputs.
/// </summary>
public sealed class LoopServers : IAsyncLifetime
{
    /// <summary>An externally fine-tuned model (an open model behind an OpenAI-compatible endpoint): the emulator answers as the large model would, except on a known share of inputs.</summary>
    public const string ExternalDeployment = "triage-ft";

    /// <summary>The emulator's quality knob for <see cref="ExternalDeployment"/>: this share of inputs get another label.</summary>
    public const double ExternalDisagreement = 0.03;

    public AzuriteServer Azurite { get; private set; } = null!;

    public EmulatorServer Emulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartAsync(blob: true);
        Emulator = await EmulatorServer.StartAsync(o =>
        {
            o.QualitySeed = 1;
            o.Deployments[ExternalDeployment] = new Router.Emulator.Options.DeploymentOptions { Disagreement = ExternalDisagreement };
            o.Labelling.Fallback = "other";
            foreach (var (label, words) in KeywordCorpus.Keywords)
            {
                o.Labelling.Keywords[label] = [.. words];
            }
        });
    }

    public async Task DisposeAsync()
    {
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }

    /// <summary>
    /// The shipped catalog's ticket-triage and its local classifier, on the large route with every answer
    /// captured (none dropped), the classifier shadowing every call (it costs nothing), a quarter of a promoted route's calls
    /// shadowed to large, and routes and classifiers refreshed every 200 ms.
    /// </summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = RouterServer.DefaultSettings(Azurite.ConnectionString, Emulator.Address);
        settings["Router:Shadow:Enabled"] = "true";
        settings["Router:Ledger:RollupFlushInterval"] = "00:00:00.100";
        settings["Router:RouteOverrides:RefreshInterval"] = "00:00:00.200";
        settings["Router:LocalClassifier:RefreshInterval"] = "00:00:00.200";
        settings["Router:Tasks:ticket-triage:Route"] = "large";
        settings["Router:Tasks:ticket-triage:CaptureRate"] = "1";
        // Every answer must become a sample: a burst of 2,000 calls on a busy machine overflowed the default 1,000-sample queue.
        settings["Router:Distillation:SampleQueueCapacity"] = "10000";
        settings["Router:Tasks:ticket-triage:QualityBar"] = "0.9";
        settings["Router:Tasks:ticket-triage:Candidates:mini:ShadowRate"] = "0";
        settings["Router:Tasks:ticket-triage:Candidates:classifier:ShadowRate"] = "1";
        settings["Router:Tasks:ticket-triage:Candidates:classifier:DailyBudgetUsd"] = "1";
        settings["Router:Tasks:ticket-triage:LargeShadow:ShadowRate"] = "0.25";
        settings["Router:Tasks:ticket-triage:LargeShadow:DailyBudgetUsd"] = "100";
        return settings;
    }

    /// <summary>One served call as the caller saw it.</summary>
    public sealed record Served(string CallId, string Route, string Model, bool Fallback, string? FallbackReason, string Output);

    /// <summary>Sends every text as a ticket-triage call, 8 at a time; every call must be answered.</summary>
    public static async Task<List<Served>> TriageAsync(RouterServer router, IEnumerable<string> texts, int parallel = 8)
    {
        using var http = router.CreateClient(RouterServer.CallerKey);
        using var gate = new SemaphoreSlim(parallel);
        var calls = texts.Select(async text =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await http.PostAsJsonAsync("api/route", new { task = "ticket-triage", input = text });
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
                return new Served(
                    body.GetProperty("callId").GetString()!,
                    body.GetProperty("route").GetString()!,
                    body.GetProperty("model").GetString()!,
                    body.GetProperty("fallback").GetBoolean(),
                    body.TryGetProperty("fallbackReason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null,
                    body.GetProperty("output").GetString()!);
            }
            finally
            {
                gate.Release();
            }
        });
        return [.. await Task.WhenAll(calls)];
    }
}
