using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Security;

[Collection(SharedServersDefinition.Name)]
public sealed class SecretsInLogsTests(SharedServers stack)
{
    [Fact]
    public async Task Logs_AfterCallsBadKeysAndFailures_HoldNoKeyNoPromptNoOutput()
    {
        var logs = new CapturingLoggerProvider();
        await using var router = await RouterServer.StartAsync(stack.Settings, services => services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        var secretInput = "secret-input-" + Guid.NewGuid().ToString("N");
        var secretContext = "secret-context-" + Guid.NewGuid().ToString("N");
        var wrongKey = "wrong-key-" + Guid.NewGuid().ToString("N");
        var outputs = new List<string>();

        using (var caller = router.CreateClient(RouterServer.CallerKey))
        {
            foreach (var task in new[] { "summarize", "ticket-triage", "contract-qa" })
            {
                using var response = await caller.PostAsJsonAsync("api/route", new { task, input = secretInput, context = secretContext });
                response.EnsureSuccessStatusCode();
                outputs.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("output").GetString()!);
            }

            // A failing model call must not log the prompt either.
            await stack.Emulator.Control.PutAsJsonAsync("emulator/faults/gpt-4o", new { kind = "500", count = 10 });
            try
            {
                using var failed = await caller.PostAsJsonAsync("api/route", new { task = "summarize", input = secretInput });
                Assert.Equal(System.Net.HttpStatusCode.BadGateway, failed.StatusCode);
            }
            finally
            {
                await stack.Emulator.Control.DeleteAsync("emulator/faults/gpt-4o");
            }
        }

        using (var stranger = router.CreateClient(wrongKey))
        {
            using var response = await stranger.PostAsJsonAsync("api/route", new { task = "summarize", input = secretInput });
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await router.DrainAsync();
        Assert.NotEmpty(logs.Lines);
        var forbidden = new[] { RouterServer.CallerKey, wrongKey, EmulatorServer.ApiKey, secretInput, secretContext }
            .Concat(outputs.Where(o => o.Length > 12));
        foreach (var line in logs.Lines)
        {
            foreach (var secret in forbidden)
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        }
    }
}
