using Microsoft.Extensions.Options;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Hosting;

/// <summary>A broken catalog stops start-up with a message naming the setting. No servers needed: start fails first.</summary>
public sealed class StartupValidationTests
{
    private static Dictionary<string, string?> Settings() =>
        RouterServer.DefaultSettings("UseDevelopmentStorage=true", new Uri("http://127.0.0.1:9/"));

    public static TheoryData<string, string?, string> BrokenSettings => new()
    {
        { "Router:Tasks:summarize:Large:Model", "gpt-5-imaginary", "Router:Tasks:summarize:Large:Model: unknown model 'gpt-5-imaginary'" },
        { "Router:Models:large:Prices:InputPerMillion", "-2.5", "Router:Models:large:Prices:InputPerMillion: -2.5 is negative" },
        { "Router:Tasks:summarize:Route", "medium", "Router:Tasks:summarize:Route: 'medium' is not one of large, small" },
        { "Router:Tasks:summarize:Kind", "poetry", "Router:Tasks:summarize:Kind: 'poetry'" },
        { "Router:Models:small:Endpoint", "not a url", "Router:Models:small:Endpoint" },
        { "Router:Tasks:ticket-triage:CaptureRate", "1.5", "Router:Tasks:ticket-triage:CaptureRate: 1.5 is outside 0..1" },
        { "Router:Models:large:ApiKey", "", "Router:Models:large:ApiKey: is required" },
        { "Router:Auth:Clients:0:KeySha256", "plaintext-key", "Router:Auth:Clients:0:KeySha256" },
        { "Router:Storage:ConnectionString", "", "Router:Storage" },
    };

    [Theory]
    [MemberData(nameof(BrokenSettings))]
    public async Task Start_BrokenSetting_FailsWithMessageNamingIt(string key, string? value, string expected)
    {
        var settings = Settings();
        settings[key] = value;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAndStopAsync(settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DuplicateTaskInCatalogFile_FailsNamingTheTask()
    {
        var file = Path.Combine(Path.GetTempPath(), $"catalog-dup-{Guid.NewGuid():N}.json");
        var task = "{\"Kind\":\"generation\",\"Route\":\"large\",\"Large\":{\"Model\":\"large\",\"System\":\"s\"}}";
        await File.WriteAllTextAsync(file, "{\"Router\":{\"Tasks\":{\"echo\":" + task + ",\"echo\":" + task + "}}}");
        try
        {
            var settings = Settings();
            settings["Router:CatalogFile"] = file;

            var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAndStopAsync(settings));

            Assert.Contains("Router:Tasks:echo", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task StartAndStopAsync(Dictionary<string, string?> settings)
    {
        await using var router = await RouterServer.StartAsync(settings);
    }

    [Fact]
    public async Task Start_MissingCatalogFile_FailsNamingTheSetting()
    {
        var settings = Settings();
        settings["Router:CatalogFile"] = "/nonexistent/catalog.json";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAndStopAsync(settings));

        Assert.Contains("Router:CatalogFile", error.Message, StringComparison.Ordinal);
    }
}
