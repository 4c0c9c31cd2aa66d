using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Hosting;

/// <summary>
/// The two host modes cannot drift: every HTTP function the Functions host would load (read
/// from functions.metadata, the file the Worker SDK generates for the host) is served by the
/// standalone host at the same route and methods, and nothing else is.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class HostParityTests(SharedServers stack)
{
    [Fact]
    public void Standalone_EveryHttpFunctionInFunctionsMetadata_IsMappedAtSameRouteAndMethods()
    {
        var declared = ReadFunctionsMetadata();
        Assert.NotEmpty(declared);

        var mapped = stack.Router.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>() is not null)
            .ToDictionary(
                e => e.RoutePattern.RawText!.TrimStart('/'),
                e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => m.ToUpperInvariant()).Order().ToArray());

        foreach (var (name, route, methods) in declared)
        {
            Assert.True(mapped.TryGetValue("api/" + route, out var served), $"Function {name} (api/{route}) is not served in standalone mode.");
            Assert.Equal(methods, served);
        }

        Assert.Equal(declared.Count, mapped.Count);
    }

    /// <summary>
    /// Asks each function's route with its method and with another one, and reads which endpoint
    /// the standalone host matched (a test-only header set from the request's endpoint). A 404
    /// is then no longer ambiguous: "served by the function, which said not found" passes, "fell
    /// through to the catch-all" (the route is missing) fails.
    /// </summary>
    [Fact]
    public async Task Standalone_EveryHttpFunction_AnswersItsMethodAndRefusesOthers()
    {
        await using var router = await RouterServer.StartAsync(stack.Settings, services => services.AddSingleton<IStartupFilter, MatchedEndpointHeader>());
        using var http = router.CreateClient(RouterServer.AdminKey);
        var declared = ReadFunctionsMetadata();
        Assert.NotEmpty(declared);
        foreach (var (name, route, methods) in declared)
        {
            var catchAll = route.Contains("{*", StringComparison.Ordinal);
            var path = "api/" + System.Text.RegularExpressions.Regex.Replace(route.Replace("{task}", "summarize", StringComparison.Ordinal), @"\{\*[a-z]+\}", "no-such-endpoint");
            using var allowed = await http.SendAsync(new HttpRequestMessage(new HttpMethod(methods[0]), path));
            Assert.Equal($"{name}: /api/{route}", $"{name}: {MatchedEndpointHeader.Read(allowed)}");
            if (catchAll)
            {
                // A catch-all answers every method it lists (the unknown-route envelope); there is no other method to refuse.
                continue;
            }

            var other = methods.Contains("PUT") ? "PATCH" : "PUT";
            using var refused = await http.SendAsync(new HttpRequestMessage(new HttpMethod(other), path));
            Assert.True(refused.StatusCode is System.Net.HttpStatusCode.MethodNotAllowed or System.Net.HttpStatusCode.NotFound, $"{name}: {other} {path} answered {refused.StatusCode}.");
            Assert.NotEqual($"/api/{route}", MatchedEndpointHeader.Read(refused));
        }
    }

    internal static List<(string Name, string Route, string[] Methods)> ReadFunctionsMetadata()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryPaths.Root, "src", "Router.Functions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}: the Worker SDK generates it when Router.Functions builds.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var functions = new List<(string, string, string[])>();
        foreach (var function in document.RootElement.EnumerateArray())
        {
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (binding.GetProperty("type").GetString() == "httpTrigger")
                {
                    var methods = binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order().ToArray();
                    functions.Add((function.GetProperty("name").GetString()!, binding.GetProperty("route").GetString()!, methods));
                }
            }
        }

        return functions;
    }

    /// <summary>Test-only middleware: names, in a response header, the route pattern of the endpoint that served the request.</summary>
    private sealed class MatchedEndpointHeader : IStartupFilter
    {
        private const string Header = "x-test-matched-endpoint";

        public static string Read(HttpResponseMessage response) =>
            response.Headers.TryGetValues(Header, out var values) ? values.Single() : "(no endpoint)";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Response.OnStarting(() =>
                {
                    // Routing has run by the time the response starts; the catch-all's pattern is not a function's.
                    context.Response.Headers[Header] = context.GetEndpoint() is RouteEndpoint endpoint ? "/" + endpoint.RoutePattern.RawText!.TrimStart('/') : "(no endpoint)";
                    return Task.CompletedTask;
                });
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
