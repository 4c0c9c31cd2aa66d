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
/// </summary>
public sealed class QueryInjectionTests(QueryInjectionTests.SeededServers servers) : IClassFixture<QueryInjectionTests.SeededServers>
{
    private readonly RouterServer _router = servers.Router;

    public static TheoryData<string, string> Injections
    {
        get
        {
            var data = new TheoryData<string, string>();
            string[] payloads =
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
            foreach (var parameter in new[] { "task", "client", "from", "to", "groupBy" })
            {
                foreach (var payload in payloads)
                {
                    data.Add(parameter, payload);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task Usage_CallerInjectsIntoParameter_SeesOnlyItsOwnUsage(string parameter, string payload)
    {
        using var caller = _router.CreateClient(RouterServer.CallerKey);
        var defaults = new Dictionary<string, string> { ["from"] = "2026-11-19", ["to"] = "2026-11-21", ["groupBy"] = "client" };
        defaults[parameter] = payload;

        using var response = await caller.GetAsync("api/usage?" + string.Join('&', defaults.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, $"{parameter}={payload}: {response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(body.GetProperty("total").GetProperty("calls").GetInt64() <= 3, $"{parameter}={payload} leaked: {body}");
            foreach (var group in body.GetProperty("groups").EnumerateArray())
            {
                Assert.Equal("caller-a", group.GetProperty("client").GetString());
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

        using var response = await admin.GetAsync("api/usage?" + string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{parameter}={payload}: {response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var calls = body.GetProperty("total").GetProperty("calls").GetInt64();
            // Dropping the task or client filter would reveal 120+ calls; the full table holds 134.
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

        Assert.Equal(3, own.GetProperty("total").GetProperty("calls").GetInt64());
        Assert.Equal(134, all.GetProperty("total").GetProperty("calls").GetInt64());
    }

    /// <summary>One Azurite, emulator and router for all the cases of this class, with four seeded rollup rows.</summary>
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
            foreach (var (task, client, calls) in new[] { ("summarize", "caller-a", 3L), ("summarize", "caller-b", 50L), ("ticket-triage", "caller-b", 70L), ("ticket-triage", "ops", 11L) })
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
