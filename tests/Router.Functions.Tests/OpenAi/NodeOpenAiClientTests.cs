using System.Diagnostics;
using System.Text.Json;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.OpenAi;

/// <summary>The official `openai` npm package (pinned in package.json), pointed at the router, gets answers and usage.</summary>
[Collection(SharedServersDefinition.Name)]
public sealed class NodeOpenAiClientTests(SharedServers stack)
{
    [Fact]
    public async Task ChatCompletions_OpenAiNodePackage_GetsAnswersStreamsUsageAndErrors()
    {
        var script = Path.Combine(RepositoryPaths.Root, "tests", "Router.Functions.Tests", "OpenAi", "openai-client.mjs");
        var package = Path.Combine(RepositoryPaths.Root, "node_modules", "openai", "package.json");
        Assert.True(File.Exists(package), $"The openai npm package is missing at {package}; run npm ci.");

        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, new Uri(stack.Router.Address, "api/v1").ToString(), RouterServer.CallerKey, "summarize" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node exited with {node.ExitCode}: {await errors}");

        using var result = JsonDocument.Parse((await output).Trim());
        var root = result.RootElement;
        Assert.Equal("summarize", root.GetProperty("model").GetString());
        Assert.StartsWith("Summary:", root.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.True(root.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        Assert.StartsWith("Summary:", root.GetProperty("streamed").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("chunks").GetInt32() > 3);
        Assert.True(root.GetProperty("streamUsage").GetProperty("completion_tokens").GetInt32() > 0);
        Assert.Equal(404, root.GetProperty("notFound").GetProperty("status").GetInt32());
        Assert.Equal("model_not_found", root.GetProperty("notFound").GetProperty("code").GetString());
    }
}
