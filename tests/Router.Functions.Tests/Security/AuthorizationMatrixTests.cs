using System.Net;
using System.Text;
using Router.Functions.Tests.Hosting;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Security;

/// <summary>
/// Every HTTP function the host would load, with the role it needs. A new function fails the
/// first test until someone decides who may call it; then no key and a wrong key get 401, a
/// caller key gets 403 from admin endpoints, and caller endpoints admit both the caller and
/// the admin key. Every case asserts something about its own endpoint.
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
        ["Responses"] = "caller",
        ["AzureResponses"] = "caller",
        ["AzureDatedResponses"] = "caller",
        ["AzureChatCompletions"] = "caller",
        ["AzureV1ChatCompletions"] = "caller",
        ["AzureV1Models"] = "caller",
        ["AzureUnknownRoute"] = "anyone", // unknown /openai routes: Azure's 404 envelope, whoever asks
        ["Models"] = "caller",
        ["Model"] = "caller",
        ["OpenAiUnknownRoute"] = "anyone", // answers unknown /v1 routes with the OpenAI 404 envelope, whoever asks
        ["Tasks"] = "caller",
        ["Usage"] = "caller",
        ["DashboardData"] = "admin",
        ["DistillationReport"] = "admin",
        ["DistillationRun"] = "admin",
        ["DistillationDataset"] = "admin",
        ["DistillationTrain"] = "admin",
        ["TaskRoute"] = "admin", // POST promotes a candidate, DELETE restores the catalog route
    };

    public static TheoryData<string, string, string> Protected() => WithRole("caller", "admin");

    public static TheoryData<string, string, string> CallerOnly() => WithRole("caller");

    public static TheoryData<string, string, string> AdminOnly() => WithRole("admin");

    private static TheoryData<string, string, string> WithRole(params string[] roles)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (name, route, methods) in HostParityTests.ReadFunctionsMetadata())
        {
            if (roles.Contains(RoleByFunction.GetValueOrDefault(name)))
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
    [MemberData(nameof(AdminOnly))]
    public async Task AdminEndpoint_CallerKey_403_AdminKeyAdmitted(string name, string method, string route)
    {
        using var caller = stack.Router.CreateClient(RouterServer.CallerKey);
        using var refused = await caller.SendAsync(Request(method, route));
        Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{name} with a caller key: {refused.StatusCode}");

        using var admin = stack.Router.CreateClient(RouterServer.AdminKey);
        using var admitted = await admin.SendAsync(Request(method, route));
        Assert.True(admitted.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{name} refused the admin key: {admitted.StatusCode}");
    }

    [Theory]
    [MemberData(nameof(CallerOnly))]
    public async Task CallerEndpoint_CallerKeyAndAdminKey_Admitted(string name, string method, string route)
    {
        // The caller key has only the caller role; ops (the admin key) has both. Neither may be refused here.
        foreach (var key in new[] { RouterServer.CallerKey, RouterServer.AdminKey })
        {
            using var http = stack.Router.CreateClient(key);
            using var admitted = await http.SendAsync(Request(method, route));
            Assert.True(admitted.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{name} refused the {(key == RouterServer.CallerKey ? "caller" : "admin")} key: {admitted.StatusCode} {await admitted.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public void TheoryData_EveryProtectedFunction_IsInExactlyOneRoleCase()
    {
        // Guards the two theories above: no protected function falls between them.
        var callers = CallerOnly().Select(row => (string)row[0]).ToArray();
        var admins = AdminOnly().Select(row => (string)row[0]).ToArray();

        Assert.Equal(Protected().Select(row => (string)row[0]).Order(), callers.Concat(admins).Order());
        Assert.NotEmpty(callers);
        Assert.NotEmpty(admins);
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
