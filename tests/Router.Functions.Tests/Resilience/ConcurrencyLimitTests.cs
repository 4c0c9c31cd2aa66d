using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Router.Core.Ledger;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Resilience;

/// <summary>
/// 1,100 concurrent calls to one slowed deployment. Its HTTP client's concurrency limiter (the
/// standard resilience handler's, 1,000 permits, no queue) admits 1,000; the other 100 used to get a
/// 500 whose body was a Polly stack trace, with no ledger row. Now they are 503 with Retry-After in
/// the called API's envelope, each recorded. Deterministic: the 1,000 are held in the emulator (a
/// delay fault) and seen to have arrived before the 100 are sent. Own Azurite and emulator, so the
/// thousand held requests and their rows touch no other test.
/// </summary>
public sealed class ConcurrencyLimitTests
{
    private const int Permits = 1_000;
    private const int Rejected = 100;

    /// <summary>How long the emulator holds each admitted call: long enough for 1,000 to arrive on a busy machine.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Calls_MoreThanTheDeploymentsConcurrencyLimit_ExtraCallsGet503WithRetryAfterAndARowEach()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        var settings = RouterServer.DefaultSettings(azurite.ConnectionString, emulator.Address);
        settings["Router:Resilience:AttemptTimeout"] = "00:02:00";
        settings["Router:RequestTimeout"] = "00:03:00";
        await using var router = await RouterServer.StartAsync(settings);
        using (var arm = await emulator.Control.PutAsJsonAsync("emulator/faults/gpt-4o", new { kind = "delay", delayMs = (int)Hold.TotalMilliseconds, count = (int?)null }))
        {
            arm.EnsureSuccessStatusCode();
        }

        using var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = router.Address, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", RouterServer.CallerKey);
        var held = Enumerable.Range(0, Permits).Select(i => NativeAsync(http, i)).ToList();
        await WaitForArrivalsAsync(emulator, Permits);

        var native = Enumerable.Range(0, Rejected / 2).Select(i => NativeAsync(http, Permits + i));
        var chat = Enumerable.Range(0, Rejected / 2).Select(i => ChatAsync(http, Permits + Rejected + i));
        var rejected = await Task.WhenAll(native.Concat(chat));
        var admitted = await Task.WhenAll(held);

        Assert.All(admitted, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(rejected, r =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status);
            Assert.True(r.RetryAfter is > 0, $"no Retry-After on a rejected call: {r.Body}");
            Assert.DoesNotContain("   at ", r.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", r.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(".cs", r.Body, StringComparison.Ordinal);
        });
        foreach (var problem in rejected.Take(Rejected / 2))
        {
            Assert.Equal("application/problem+json", problem.ContentType);
            Assert.Contains("too many calls in flight", JsonDocument.Parse(problem.Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        foreach (var openAi in rejected.Skip(Rejected / 2))
        {
            var error = JsonDocument.Parse(openAi.Body).RootElement.GetProperty("error");
            Assert.Equal(("server_error", "upstream_unavailable"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        }

        await router.DrainAsync(TimeSpan.FromSeconds(120));
        var rows = await new LedgerReader(azurite.ConnectionString).AllAsync();
        Assert.Equal(Permits + Rejected, rows.Count);
        Assert.Equal(Permits, rows.Count(r => r.Status == CallStatus.Ok));
        var unavailable = rows.Where(r => r.HttpStatus == 503).ToList();
        Assert.Equal(Rejected, unavailable.Count);
        Assert.All(unavailable, r => Assert.Equal((CallStatus.UpstreamError, 0), (r.Status, r.InputTokens + r.OutputTokens)));
    }

    private static async Task WaitForArrivalsAsync(EmulatorServer emulator, int expected)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Hold - TimeSpan.FromSeconds(5);
        while (true)
        {
            var log = await emulator.Control.GetFromJsonAsync<JsonElement>("emulator/requests?deployment=gpt-4o");
            var arrived = (log.ValueKind == JsonValueKind.Array ? log : log.GetProperty("requests")).GetArrayLength();
            if (arrived >= expected)
            {
                return;
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"only {arrived} of {expected} calls reached the emulator before the first would be released");
            await Task.Delay(250);
        }
    }

    private static async Task<Answer> NativeAsync(HttpClient http, int i)
    {
        using var response = await http.PostAsJsonAsync("api/route", new { task = "summarize", input = $"Summarize note {i}: the meeting moved to Friday." });
        return await Answer.ReadAsync(response);
    }

    private static async Task<Answer> ChatAsync(HttpClient http, int i)
    {
        using var response = await http.PostAsJsonAsync("api/v1/chat/completions", new { model = "summarize", messages = new[] { new { role = "user", content = $"Summarize note {i}: the meeting moved to Friday." } } });
        return await Answer.ReadAsync(response);
    }

    private sealed record Answer(HttpStatusCode Status, int? RetryAfter, string? ContentType, string Body)
    {
        public static async Task<Answer> ReadAsync(HttpResponseMessage response) =>
            new(response.StatusCode, (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}
