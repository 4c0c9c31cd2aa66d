using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Router.Functions.Tests.Infrastructure;
using Router.Functions.Tests.Resilience;

namespace Router.Functions.Tests.Http;

/// <summary>
/// Thousands of generated and mutated bodies at both APIs: never a 5xx, the router stays up,
/// and the ledger holds rows only for calls that were answered (no stray records).
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class FuzzTests(SharedServers stack)
{
    private const int Seed = 20240611;
    private const int BodiesPerApi = 2_600;
    private const int MaxBodyBytes = 16 * 1024;

    [Fact]
    public async Task BothApis_FuzzedBodies_NeverAnswer5xxAndRecordOnlyAnsweredCalls()
    {
        var faulty = new FaultyDeployments(stack);
        faulty.Settings["Router:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var router = await RouterServer.StartAsync(faulty.Settings);
        using var http = router.CreateClient(RouterServer.CallerKey);
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        var answered = new ConcurrentBag<string>();
        var ledger = new LedgerReader(stack.Azurite.ConnectionString);

        var jobs = Enumerable.Range(0, BodiesPerApi).SelectMany(i => new[] { (Api: "api/route", Index: i), (Api: "api/v1/chat/completions", Index: i) });
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (job, cancellationToken) =>
        {
            var (body, contentType) = job.Api == "api/route" ? RequestFuzzer.Native(Seed, job.Index, MaxBodyBytes) : RequestFuzzer.Chat(Seed, job.Index, MaxBodyBytes);
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
                answered.Add(ids.Single());
            }
            else if (status is >= 400 and < 500 && (text.Length == 0 || !(text.Contains("\"detail\"", StringComparison.Ordinal) || text.Contains("\"error\"", StringComparison.Ordinal))))
            {
                failures.Enqueue($"{job.Api} #{job.Index} -> {status} without a message naming the problem: {text}");
            }
        });

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
        Assert.True(statuses.Values.Sum() >= 5_000);
        Assert.True(statuses.Keys.Count(s => s is >= 400 and < 500) >= 4, "the fuzzer should reach several kinds of 4xx: " + string.Join(", ", statuses));
        Assert.Contains(200, statuses.Keys);
        using (var alive = await http.GetAsync("api/v1/models"))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        await router.DrainAsync();
        var rows = (await ledger.AllAsync()).Where(r => r.Deployment == faulty.Large || r.Deployment == faulty.Small).ToList();
        var answeredIds = answered.ToHashSet();
        Assert.All(rows, r => Assert.Contains(r.RequestId, answeredIds));
        Assert.Equal(answeredIds.Count, rows.Select(r => r.RequestId).Distinct().Count());
    }
}
