using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Router.Functions.Tests.Infrastructure;
using Router.Functions.Tests.Resilience;
using Xunit.Abstractions;

namespace Router.Functions.Tests.Http;

/// <summary>
/// Thousands of generated and mutated bodies at every call API (native, chat completions,
/// Responses): never a 5xx, the router stays up, and the ledger holds rows only for calls that
/// were answered (no stray records).
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class FuzzTests(SharedServers stack, ITestOutputHelper output)
{
    private const int Seed = 20240611;
    private const int BodiesPerApi = 1_800;
    private const int MaxBodyBytes = 16 * 1024;
    private const int MinimumAnsweredPerApi = 120;

    /// <summary>Each call API and its body generator; an API added to the router gets a line here.</summary>
    private static readonly (string Api, Func<int, int, int, (byte[] Body, string ContentType)> Fuzz)[] Apis =
    [
        ("api/route", RequestFuzzer.Native),
        ("api/v1/chat/completions", RequestFuzzer.Chat),
        ("api/v1/responses", RequestFuzzer.Responses),
        ("api/openai/deployments/summarize/chat/completions?api-version=2024-10-21", (seed, index, max) => RequestFuzzer.Chat(seed + 1, index, max)),
        ("api/openai/v1/chat/completions", (seed, index, max) => RequestFuzzer.Chat(seed + 2, index, max)),
        ("api/openai/v1/responses", (seed, index, max) => RequestFuzzer.Responses(seed + 3, index, max)),
        ("api/openai/responses?api-version=2025-04-01-preview", (seed, index, max) => RequestFuzzer.Responses(seed + 4, index, max)),
    ];

    [Fact]
    public async Task EveryCallApi_FuzzedBodies_NeverAnswer5xxAndRecordOnlyAnsweredCalls()
    {
        var faulty = new FaultyDeployments(stack);
        faulty.Settings["Router:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var router = await RouterServer.StartAsync(faulty.Settings);
        using var http = router.CreateClient(RouterServer.CallerKey);
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        var answered = new ConcurrentBag<(string Api, string CallId)>();
        var ledger = new LedgerReader(stack.Azurite.ConnectionString);

        var jobs = Enumerable.Range(0, BodiesPerApi).SelectMany(i => Apis.Select(a => (a.Api, a.Fuzz, Index: i)));
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (job, cancellationToken) =>
        {
            var (body, contentType) = job.Fuzz(Seed, job.Index, MaxBodyBytes);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            using var response = await http.PostAsync(job.Api, content, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (status >= 500)
            {
                failures.Enqueue($"{job.Api} #{job.Index} -> {status}: {text}");
            }
            else if (status == 200 && response.Headers.TryGetValues("x-router-call-id", out var ids))
            {
                answered.Add((job.Api, ids.Single()));
            }
            else if (status is >= 400 and < 500 && (text.Length == 0 || !(text.Contains("\"detail\"", StringComparison.Ordinal) || text.Contains("\"error\"", StringComparison.Ordinal))))
            {
                failures.Enqueue($"{job.Api} #{job.Index} -> {status} without a message naming the problem: {text}");
            }
        });

        var answeredIds = answered.Select(a => a.CallId).ToHashSet();
        var answeredByApi = answered.GroupBy(a => a.Api).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{statuses.Values.Sum()} bodies sent; answered with a call id: {answeredIds.Count} ({string.Join(", ", answeredByApi.OrderBy(a => a.Key).Select(a => $"{a.Key} {a.Value}"))}); statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}"))}");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
        Assert.True(statuses.Keys.Count(s => s is >= 400 and < 500) >= 4, "the fuzzer should reach several kinds of 4xx: " + string.Join(", ", statuses));
        // The "no stray records" check below means something only if many calls were served and recorded, on every API:
        // the bodies are deterministic (fixed seed), so the answered counts (in the output) are too; the floor sits below each.
        Assert.Equal(answered.Count, answeredIds.Count);
        foreach (var api in Apis.Select(a => a.Api))
        {
            var count = answeredByApi.GetValueOrDefault(api);
            Assert.True(count >= MinimumAnsweredPerApi, $"{api}: only {count} of {BodiesPerApi} fuzzed calls were answered with a call id; expected at least {MinimumAnsweredPerApi}");
        }

        using (var alive = await http.GetAsync("api/v1/models"))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        await router.DrainAsync();
        var rows = (await ledger.AllAsync()).Where(r => r.Deployment == faulty.Large || r.Deployment == faulty.Small).ToList();
        Assert.All(rows, r => Assert.Contains(r.RequestId, answeredIds));
        Assert.Equal(answeredIds.Count, rows.Select(r => r.RequestId).Distinct().Count());
    }
}
