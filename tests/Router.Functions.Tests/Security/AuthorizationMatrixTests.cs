using System.Net;
using System.Text;
using Router.Functions.Tests.Hosting;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Security;

/// <summary>
/// Every HTTP function the host would load, with the role it needs. A new function fails the
/// first test until someone decides who may call it; then no key, a wrong key and (for admin
/// endpoints) a caller key get 401, 401 and 403.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class AuthorizationMatrixTests(SharedServers stack)
{
    private static readonly Dictionary<string, string> RoleByFunction = new()
    {
        ["Health"] = "anyone",
        ["Dashboard"] = "anyone", // static page without data; its data endpoint is admin
        ["Route"] = "caller",
        ["ChatCompletions"] = "caller",
        ["Models"] = "caller",
        ["Tasks"] = "caller",
        ["Usage"] = "caller",
        ["DashboardData"] = "admin",
        ["DistillationReport"] = "admin",
        ["DistillationRun"] = "admin",
        ["DistillationDataset"] = "admin",
    };

    public static TheoryData<string, string, string> Protected()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (name, route, methods) in HostParityTests.ReadFunctionsMetadata())
        {
            if (RoleByFunction.GetValueOrDefault(name) is "caller" or "admin")
            {
                data.Add(name, methods[0], route.Replace("{task}", "summarize", StringComparison.Ordinal));
            }
        }

        return data;
    }

    [Fact]
    public void EveryHttpFunction_HasADecidedRole()
    {
        var functions = HostParityTests.ReadFunctionsMetadata().Select(f => f.Name).Order().ToArray();

        Assert.Equal(RoleByFunction.Keys.Order().ToArray(), functions);
    }

    [Theory]
    [MemberData(nameof(Protected))]
    public async Task ProtectedEndpoint_NoKeyOrWrongKey_401(string name, string method, string route)
    {
        foreach (var key in new[] { null, "wrong-" + Guid.NewGuid().ToString("N") })
        {
            using var http = stack.Router.CreateClient(key);
            using var response = await http.SendAsync(Request(method, route));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name} with {(key is null ? "no key" : "a wrong key")}: {response.StatusCode}");
        }
    }

    [Theory]
    [MemberData(nameof(Protected))]
    public async Task AdminEndpoint_CallerKey_403_AdminKeyAdmitted(string name, string method, string route)
    {
        if (RoleByFunction[name] != "admin")
        {
            return;
        }

        using var caller = stack.Router.CreateClient(RouterServer.CallerKey);
        using var refused = await caller.SendAsync(Request(method, route));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var admin = stack.Router.CreateClient(RouterServer.AdminKey);
        using var admitted = await admin.SendAsync(Request(method, route));
        Assert.True(admitted.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{name} refused the admin key: {admitted.StatusCode}");
    }

    private static HttpRequestMessage Request(string method, string route)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), "api/" + route);
        if (method == "POST")
        {
            request.Content = new StringContent("{\"task\":\"summarize\",\"input\":\"x\",\"model\":\"summarize\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", Encoding.UTF8, "application/json");
        }

        return request;
    }
}
