using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Security;

/// <summary>
/// OData injection through every query parameter that reaches a table filter: whatever the
/// router answers, a caller never sees another client's usage, and an injected clause never
/// widens an admin's filter. Runs on its own Azurite so the seeded figures are the only data.
/// Each caller case has another client's rows seeded where its query would find them (a task
/// partition named like the payload, a client named like the payload), so a caller whose
/// scope is lost sees them and the case fails; "no leak" never rests on "no data".
/// </summary>
public sealed class QueryInjectionTests(QueryInjectionTests.SeededServers servers) : IClassFixture<QueryInjectionTests.SeededServers>
{
    /// <summary>caller-a's calls in the base seed (summarize); the other clients hold 131.</summary>
    private const long BaseOwnCalls = 3;

    /// <summary>Per payload that is a legal table key: caller-a's and caller-b's calls in a task partition of that name.</summary>
    private const long PayloadTaskOwnCalls = 2;
    private const long PayloadTaskOtherCalls = 40;

    /// <summary>Per payload that is a legal client name: calls of a client of that name (not caller-a) on summarize.</summary>
    private const long PayloadClientCalls = 30;

    private static readonly string[] Payloads =
    [
        "' or true",
        "' or PartitionKey ne '",
        "caller-a' or Client ne 'caller-a",
        "summarize' or PartitionKey ne 'x",
        "x') or (1 eq 1",
        "' or RowKey gt '",
        "%27%20or%20true",
        "caller-a\u0000' or true",
    ];

    private readonly RouterServer _router = servers.Router;

    public static TheoryData<string, string> Injections
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var parameter in new[] { "task", "client", "from", "to", "groupBy" })
            {
                foreach (var payload in Payloads)
                {
                    data.Add(parameter, payload);
                }
            }

            return data;
        }
    }

    /// <summary>Payloads that can be a table key and a client name (no control characters): these get seeded rows of their own.</summary>
    private static IEnumerable<string> SeedablePayloads => Payloads.Where(p => !p.Any(char.IsControl));

    private static long OwnCallsInWindow => BaseOwnCalls + (SeedablePayloads.Count() * PayloadTaskOwnCalls);

    private static long AllCallsInWindow => 134 + (SeedablePayloads.Count() * (PayloadTaskOwnCalls + PayloadTaskOtherCalls + PayloadClientCalls));

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task Usage_CallerInjectsIntoParameter_SeesOnlyItsOwnUsage(string parameter, string payload)
    {
        using var caller = _router.CreateClient(RouterServer.CallerKey);
        var query = new Dictionary<string, string> { ["from"] = "2026-11-19", ["to"] = "2026-11-21", ["groupBy"] = "client" };
        query[parameter] = payload;

        using var response = await caller.GetAsync("api/usage?" + QueryString(query));
        var text = await response.Content.ReadAsStringAsync();

        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                // Only a task payload can be accepted: it names a task partition where caller-a has 2 calls and caller-b 40.
                Assert.Equal("task", parameter);
                var body = JsonDocument.Parse(text).RootElement;
                Assert.True(body.GetProperty("total").GetProperty("calls").GetInt64() == PayloadTaskOwnCalls, $"{parameter}={payload}: expected caller-a's {PayloadTaskOwnCalls} calls in that partition, got {text}");
                Assert.All(body.GetProperty("groups").EnumerateArray(), g => Assert.Equal("caller-a", g.GetProperty("client").GetString()));
                break;
            case HttpStatusCode.Forbidden:
                // Asking for another client (rows of a client named like the payload exist) is refused, naming the parameter.
                Assert.Equal("client", parameter);
                Assert.StartsWith("client:", Detail(text), StringComparison.Ordinal);
                break;
            case HttpStatusCode.BadRequest:
                Assert.StartsWith(parameter + ":", Detail(text), StringComparison.Ordinal);
                break;
            default:
                Assert.Fail($"{parameter}={payload}: {response.StatusCode} {text}");
                break;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            // A refused injection leaves the caller where it was: the same window, the parameter left out, holds only its own calls.
            query.Remove(parameter);
            query.TryAdd("from", "2026-11-19");
            query.TryAdd("to", "2026-11-21");
            var own = await caller.GetFromJsonAsync<JsonElement>("api/usage?" + QueryString(query));
            Assert.Equal(OwnCallsInWindow, own.GetProperty("total").GetProperty("calls").GetInt64());
            if (query.ContainsKey("groupBy"))
            {
                Assert.All(own.GetProperty("groups").EnumerateArray(), g => Assert.Equal("caller-a", g.GetProperty("client").GetString()));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task Usage_AdminInjectsIntoParameter_FilterIsNeverWidened(string parameter, string payload)
    {
        using var admin = _router.CreateClient(RouterServer.AdminKey);
        // A narrow query: caller-b on summarize only (50 calls). An injected clause must not add the other rows.
        var query = new Dictionary<string, string> { ["task"] = "summarize", ["client"] = "caller-b", ["from"] = "2026-11-19", ["to"] = "2026-11-21", ["groupBy"] = "client" };
        query[parameter] = payload;

        using var response = await admin.GetAsync("api/usage?" + QueryString(query));

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{parameter}={payload}: {response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var calls = body.GetProperty("total").GetProperty("calls").GetInt64();
            // The payload's own seeded rows hold at most 40 (caller-b in a partition named like it) or 30 (a client named like it);
            // dropping the task or client filter would reveal hundreds.
            Assert.True(calls <= 50, $"{parameter}={payload} widened the filter to {calls} calls");
        }
    }

    [Fact]
    public async Task Usage_SeededData_IsVisibleToTheRightClients()
    {
        // Guards the two tests above: the seed is there, so "no leak" is not "no data".
        using var caller = _router.CreateClient(RouterServer.CallerKey);
        using var admin = _router.CreateClient(RouterServer.AdminKey);

        var own = await caller.GetFromJsonAsync<JsonElement>("api/usage?from=2026-11-19&to=2026-11-21");
        var all = await admin.GetFromJsonAsync<JsonElement>("api/usage?from=2026-11-19&to=2026-11-21");

        Assert.Equal(OwnCallsInWindow, own.GetProperty("total").GetProperty("calls").GetInt64());
        Assert.Equal(AllCallsInWindow, all.GetProperty("total").GetProperty("calls").GetInt64());
        foreach (var payload in SeedablePayloads)
        {
            // Each payload's partition holds another client's rows, and each payload is also another client with rows.
            var partition = await admin.GetFromJsonAsync<JsonElement>("api/usage?from=2026-11-19&to=2026-11-21&task=" + Uri.EscapeDataString(payload));
            Assert.Equal(PayloadTaskOwnCalls + PayloadTaskOtherCalls, partition.GetProperty("total").GetProperty("calls").GetInt64());
            var client = await admin.GetFromJsonAsync<JsonElement>("api/usage?from=2026-11-19&to=2026-11-21&client=" + Uri.EscapeDataString(payload));
            Assert.Equal(PayloadClientCalls, client.GetProperty("total").GetProperty("calls").GetInt64());
        }
    }

    private static string QueryString(Dictionary<string, string> query) =>
        string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

    private static string Detail(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("detail").GetString()!;

    /// <summary>One Azurite, emulator and router for all the cases of this class, with the seeded rollup rows.</summary>
    public sealed class SeededServers : IAsyncLifetime
    {
        private static readonly DateTimeOffset Hour = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        private AzuriteServer _azurite = null!;
        private EmulatorServer _emulator = null!;

        public RouterServer Router { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _azurite = await AzuriteServer.StartAsync();
            _emulator = await EmulatorServer.StartAsync();
            Router = await RouterServer.StartAsync(RouterServer.DefaultSettings(_azurite.ConnectionString, _emulator.Address));
            var rollups = new TableServiceClient(_azurite.ConnectionString).GetTableClient("RouterRollups");
            await rollups.CreateIfNotExistsAsync();
            var seed = new List<(string Task, string Client, long Calls)>
            {
                ("summarize", "caller-a", BaseOwnCalls), ("summarize", "caller-b", 50L), ("ticket-triage", "caller-b", 70L), ("ticket-triage", "ops", 11L),
            };
            foreach (var payload in SeedablePayloads)
            {
                seed.Add((payload, "caller-a", PayloadTaskOwnCalls));
                seed.Add((payload, "caller-b", PayloadTaskOtherCalls));
                seed.Add(("summarize", payload, PayloadClientCalls));
            }

            foreach (var (task, client, calls) in seed)
            {
                await rollups.UpsertEntityAsync(RollupEntity.ToEntity(new RollupRecord
                {
                    Task = task, Hour = Hour, Route = "large", Model = "large", Client = client, Instance = "seed",
                    Calls = calls, CostNanoUsd = calls * 1_000_000, LatencyBuckets = new long[LatencyHistogram.BucketCount],
                }));
            }
        }

        public async Task DisposeAsync()
        {
            await Router.DisposeAsync();
            await _emulator.DisposeAsync();
            await _azurite.DisposeAsync();
        }
    }
}
