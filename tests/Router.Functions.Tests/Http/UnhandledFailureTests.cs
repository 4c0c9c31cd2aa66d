using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Http;

/// <summary>
/// A failure no layer handles (here: the model's HTTP pipeline throws something unexpected) answers
/// a 500 in the called API's envelope, naming a trace id and nothing else, even in Development,
/// where ASP.NET Core would otherwise render its exception page with the stack and source paths.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class UnhandledFailureTests(SharedServers stack)
{
    private const string Secret = "boom at /src/Router.Core/Secret.cs:line 42";

    [Fact]
    public async Task Route_UnexpectedExceptionInDevelopment_Answers500ProblemWithoutDetails()
    {
        await using var router = await StartAsync();

        using var http = router.CreateClient(RouterServer.CallerKey);
        using var response = await http.PostAsJsonAsync("api/route", new { task = "summarize", input = "Summarize: the meeting moved to Friday." });

        var body = await AssertNoDetailsAsync(response);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((500, "Internal error"), (problem.GetProperty("status").GetInt32(), problem.GetProperty("title").GetString()));
        Assert.Contains("trace id", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/v1/chat/completions")]
    [InlineData("api/openai/v1/chat/completions")]
    public async Task ChatCompletions_UnexpectedExceptionInDevelopment_Answers500InOpenAiEnvelope(string path)
    {
        await using var router = await StartAsync();

        using var http = router.CreateClient(RouterServer.CallerKey);
        using var response = await http.PostAsJsonAsync(path, new { model = "summarize", messages = new[] { new { role = "user", content = "Summarize: the meeting moved to Friday." } } });

        var body = await AssertNoDetailsAsync(response);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(("server_error", "internal_error"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Contains("trace id", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<RouterServer> StartAsync() =>
        await RouterServer.StartAsync(
            stack.Settings,
            services => services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new ThrowingHandler())),
            environment: "Development");

    private static async Task<string> AssertNoDetailsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("boom", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(NotSupportedException), body, StringComparison.Ordinal);
        return body;
    }

    /// <summary>A bug below the router: an exception no translation knows.</summary>
    private sealed class ThrowingHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(new NotSupportedException(Secret));
    }
}
