using System.Net;
using System.Text.Json;
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

    [Fact]
    public async Task Standalone_EveryHttpFunction_AnswersItsMethodAndRefusesOthers()
    {
        using var http = stack.Router.CreateClient(RouterServer.AdminKey);
        foreach (var (name, route, methods) in ReadFunctionsMetadata())
        {
            var path = "api/" + route.Replace("{task}", "summarize", StringComparison.Ordinal);
            using var allowed = await http.SendAsync(new HttpRequestMessage(new HttpMethod(methods[0]), path));
            Assert.True(allowed.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed) || allowed.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{name}: {methods[0]} {path} was not routed ({allowed.StatusCode}).");

            var other = methods.Contains("PUT") ? "PATCH" : "PUT";
            using var refused = await http.SendAsync(new HttpRequestMessage(new HttpMethod(other), path));
            Assert.True(refused.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound, $"{name}: {other} {path} answered {refused.StatusCode}.");
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
}
