using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Core.Security;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Security;

/// <summary>
/// The client is the key's, whatever the request claims: identity headers a caller (or a proxy in
/// front of it) can set never change who a call is recorded for, budgeted against or scoped to.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class IdentityHeaderTests(SharedServers stack)
{
    private readonly LedgerReader _ledger = new(stack.Azurite.ConnectionString);

    public static TheoryData<string, string> Apis() => new()
    {
        { "api/route", """{"task":"ticket-triage","input":"I was charged twice this month."}""" },
        { "api/v1/chat/completions", """{"model":"ticket-triage","messages":[{"role":"user","content":"I was charged twice this month."}]}""" },
    };

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Call_IdentityHeadersNamingAnotherClient_IsRecordedAndBudgetedAsTheKeysClient(string path, string body)
    {
        var spend = stack.Router.Services.GetRequiredService<ClientSpendTracker>();
        var otherBefore = spend.SpentToday("caller-b");
        var mineBefore = spend.SpentToday("caller-a");
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        AddIdentityHeaders(request);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var callId = Assert.Single(response.Headers.GetValues("x-router-call-id"));
        await stack.Router.DrainAsync();
        var row = Assert.Single(await _ledger.WaitForRequestAsync(callId));
        Assert.Equal("caller-a", row.Client);
        Assert.True(row.CostUsd > 0);
        Assert.Equal(mineBefore + row.CostUsd, spend.SpentToday("caller-a"));
        Assert.Equal(otherBefore, spend.SpentToday("caller-b"));
    }

    [Fact]
    public async Task Usage_IdentityHeadersNamingAnotherClient_StaysScopedToTheKeysClient()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);
        using var other = new HttpRequestMessage(HttpMethod.Get, "api/usage?client=caller-b");
        AddIdentityHeaders(other);
        using var own = new HttpRequestMessage(HttpMethod.Get, "api/usage?groupBy=client");
        AddIdentityHeaders(own);

        using var refused = await http.SendAsync(other);
        using var scoped = await http.SendAsync(own);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("caller-a", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, scoped.StatusCode);
        var text = await scoped.Content.ReadAsStringAsync();
        Assert.DoesNotContain("caller-b", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
    }

    private static void AddIdentityHeaders(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("x-router-client", "caller-b");
        request.Headers.TryAddWithoutValidation("x-ms-client-principal-name", "caller-b");
        // The App Service authentication header: base64 of {"userId":"caller-b",...}.
        request.Headers.TryAddWithoutValidation("x-ms-client-principal", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("""{"auth_typ":"aad","userId":"caller-b","claims":[{"typ":"name","val":"caller-b"}]}""")));
        request.Headers.TryAddWithoutValidation("x-forwarded-for", "10.0.0.9");
    }
}
