using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Functions;

/// <summary>GET /api/usage's checks that need no data: keys, client scoping, parameters. Figures: <see cref="UsageFiguresTests"/>.</summary>
[Collection(SharedServersDefinition.Name)]
public sealed class UsageFunctionTests(SharedServers stack)
{
    [Fact]
    public async Task Usage_CallerAsksForAnotherClient_403NamingClient()
    {
        using var http = stack.Router.CreateClient(RouterServer.CallerKey);

        using var response = await http.GetAsync("api/usage?client=caller-b");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("client:", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/usage?from=yesterday", "from")]
    [InlineData("api/usage?to=2025-02-30", "to")]
    [InlineData("api/usage?groupBy=week", "groupBy")]
    [InlineData("api/usage?groupBy=hour,day", "groupBy")]
    [InlineData("api/usage?from=2025-03-02&to=2025-03-01", "from")]
    [InlineData("api/usage?colour=blue", "colour")]
    public async Task Usage_BadParameter_400ProblemNamingIt(string path, string parameter)
    {
        using var http = stack.Router.CreateClient(RouterServer.AdminKey);

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith(parameter + ":", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_NoKey_401()
    {
        using var http = stack.Router.CreateClient(null);

        using var response = await http.GetAsync("api/usage");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
