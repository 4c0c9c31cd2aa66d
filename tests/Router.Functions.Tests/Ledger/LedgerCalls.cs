using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

internal static class LedgerCalls
{
    /// <summary>Makes <paramref name="count"/> successful /api/route calls (up to 8 at once) and returns their call ids.</summary>
    public static async Task<List<string>> RouteAsync(RouterServer router, int count, string key = RouterServer.CallerKey, string task = "contract-qa")
    {
        using var http = router.CreateClient(key);
        using var gate = new SemaphoreSlim(8);
        var calls = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await http.PostAsJsonAsync("api/route", new { task, input = $"Question {i}: what does clause 7.2 of the contract say about refunds?" });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                return body.GetProperty("callId").GetString()!;
            }
            finally
            {
                gate.Release();
            }
        });
        return [.. await Task.WhenAll(calls)];
    }
}
