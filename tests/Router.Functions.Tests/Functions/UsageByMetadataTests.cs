using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Functions;

/// <summary>
/// GET /api/usage by the caller's metadata and by API: calls made with OpenAI's metadata pairs through
/// chat completions and the Responses API are found by <c>metadata.team=...</c>, split by <c>groupBy=api</c>,
/// narrowed by <c>api=</c>, with the figures of exactly their ledger rows.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class UsageByMetadataTests(SharedServers stack)
{
    private const string Text = "Please summarize: revenue rose 12% and churn fell to 2.1%.";
    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    [Fact]
    public async Task Usage_MetadataFilterAndGroupByApi_CountsExactlyTheCallsCarryingThePair()
    {
        var team = "team-" + Guid.NewGuid().ToString("N");
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        var ids = new List<string>();
        foreach (var (path, body) in new (string, object)[]
        {
            ("api/v1/chat/completions", new { model = "summarize", metadata = new { team, feature = "digest" }, messages = new[] { new { role = "user", content = Text } } }),
            ("api/v1/chat/completions", new { model = "summarize", metadata = new { team }, messages = new[] { new { role = "user", content = Text } } }),
            ("api/v1/responses", new { model = "summarize", metadata = new { team }, input = Text }),
            ("api/v1/responses", new { model = "summarize", metadata = new { team = team + "-other" }, input = Text }),
            ("api/v1/chat/completions", new { model = "summarize", messages = new[] { new { role = "user", content = Text } } }),
        })
        {
            using var response = await http.PostAsJsonAsync(path, body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(response.Headers.GetValues("x-router-call-id").Single());
        }

        await stack.Router.DrainAsync();
        var rows = new List<Router.Core.Ledger.CallRecord>();
        foreach (var id in ids.Take(3))
        {
            rows.Add(Assert.Single(await _ledger.WaitForRequestAsync(id)));
        }

        Assert.All(rows, r => Assert.Equal(team, r.Metadata!["team"]));
        var byApi = await UsageAsync(http, $"api/usage?metadata.team={team}&groupBy=api");
        Assert.Equal(3, byApi.GetProperty("total").GetProperty("calls").GetInt64());
        Assert.Equal(rows.Sum(r => r.CostUsd), byApi.GetProperty("total").GetProperty("costUsd").GetDecimal());
        Assert.Equal(rows.Sum(r => (long)r.OutputTokens), byApi.GetProperty("total").GetProperty("tokens").GetProperty("output").GetInt64());
        Assert.Equal(
            [("chat", 2L), ("responses", 1L)],
            byApi.GetProperty("groups").EnumerateArray().Select(g => (g.GetProperty("api").GetString()!, g.GetProperty("usage").GetProperty("calls").GetInt64())).ToList());
        Assert.Equal(team, byApi.GetProperty("metadata").GetProperty("team").GetString());

        var twoPairs = await UsageAsync(http, $"api/usage?metadata.team={team}&metadata.feature=digest");
        Assert.Equal(1, twoPairs.GetProperty("total").GetProperty("calls").GetInt64());
        Assert.Equal(rows[0].CostUsd, twoPairs.GetProperty("total").GetProperty("costUsd").GetDecimal());

        var responsesOnly = await UsageAsync(http, $"api/usage?metadata.team={team}&api=responses");
        Assert.Equal(1, responsesOnly.GetProperty("total").GetProperty("calls").GetInt64());
        Assert.Equal(rows[2].CostUsd, responsesOnly.GetProperty("total").GetProperty("costUsd").GetDecimal());
    }

    [Theory]
    [InlineData("api/usage?api=soap", "api")]
    [InlineData("api/usage?metadata.team=x&from=2025-01-01&to=2025-03-01", "from")]
    [InlineData("api/usage?groupBy=api&from=2025-01-01&to=2025-03-01", "from")]
    public async Task Usage_BadMetadataOrApiQuery_400NamingIt(string path, string parameter)
    {
        using var http = stack.Router.CreateClient(RouterServer.AdminKey);
        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(parameter + ":", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> UsageAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
