using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Security;

[Collection(SharedServersDefinition.Name)]
public sealed class ClientLimitsTests(SharedServers stack)
{
    [Fact]
    public async Task Route_ClientOverDailyBudget_Gets429UntilNextUtcDay_OtherClientsUnaffected()
    {
        // Own storage: the shared Azurite holds real rollups of caller-a's calls from other tests' routers, which count as other instances' spend.
        await using var azurite = await AzuriteServer.StartAsync();
        var settings = RouterServer.DefaultSettings(azurite.ConnectionString, stack.Emulator.Address);
        settings["Router:Auth:Clients:0:DailyBudgetUsd"] = "0.000001"; // caller-a: one call of any size uses it up
        await using var router = await RouterServer.StartAsync(settings);
        using var callerA = router.CreateClient(RouterServer.CallerKey);
        using var callerB = router.CreateClient(RouterServer.OtherCallerKey);

        using (var first = await callerA.PostAsJsonAsync("api/route", new { task = "summarize", input = "first call within budget" }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var refused = await callerA.PostAsJsonAsync("api/route", new { task = "summarize", input = "second call over budget" });
        var now = TimeProvider.System.GetUtcNow();

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("daily budget", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var untilMidnight = (new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero) - now).TotalSeconds;
        Assert.InRange(retryAfter, untilMidnight - 5, untilMidnight + 5);

        using var other = await callerB.PostAsJsonAsync("api/route", new { task = "summarize", input = "another client still served" });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Route_SpendOfOtherInstancesInRollups_CountsTowardsTheBudget()
    {
        var settings = stack.Settings;
        settings["Router:Auth:Clients:1:DailyBudgetUsd"] = "5";
        settings["Router:Auth:SpendRefreshInterval"] = "00:00:01";
        settings["Router:Ledger:InstanceId"] = "budget-test-self";
        var rollups = new TableServiceClient(stack.Azurite.ConnectionString).GetTableClient("RouterRollups");
        await rollups.CreateIfNotExistsAsync();
        var now = TimeProvider.System.GetUtcNow();
        var hour = new DateTimeOffset(now.Date.AddHours(now.Hour), TimeSpan.Zero);
        // Another instance already served $6 for caller-b today.
        await rollups.UpsertEntityAsync(RollupEntity.ToEntity(new RollupRecord
        {
            Task = "summarize", Hour = hour, Route = "large", Model = "large", Client = "caller-b", Instance = "budget-test-other-" + Guid.NewGuid().ToString("N")[..6],
            Calls = 600, CostNanoUsd = 6_000_000_000, LatencyBuckets = new long[LatencyHistogram.BucketCount],
        }));
        await using var router = await RouterServer.StartAsync(settings);
        using var callerB = router.CreateClient(RouterServer.OtherCallerKey);

        HttpStatusCode status = HttpStatusCode.OK;
        for (var attempt = 0; attempt < 50 && status != HttpStatusCode.TooManyRequests; attempt++)
        {
            using var response = await callerB.PostAsJsonAsync("api/route", new { task = "summarize", input = "spend check" });
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
    }

    [Fact]
    public async Task Route_ClientOverRequestRate_Gets429WithRetryAfter()
    {
        var settings = stack.Settings;
        settings["Router:Auth:Clients:0:RequestsPerMinute"] = "2";
        await using var router = await RouterServer.StartAsync(settings);
        using var callerA = router.CreateClient(RouterServer.CallerKey);
        using var callerB = router.CreateClient(RouterServer.OtherCallerKey);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await callerA.PostAsJsonAsync("api/route", new { task = "ticket-triage", input = "rate " + i });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        using var other = await callerB.PostAsJsonAsync("api/route", new { task = "ticket-triage", input = "unaffected" });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
