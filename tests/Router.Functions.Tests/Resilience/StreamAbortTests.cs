using System.Net.Http.Json;
using System.Text.Json;
using Router.Emulator.Options;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Resilience;

/// <summary>A client that leaves mid-stream: one record, status client-aborted, with the tokens streamed so far.</summary>
[Collection(SharedServersDefinition.Name)]
public sealed class StreamAbortTests(SharedServers stack)
{
    private const string Text = "Our quarterly review showed revenue of four million, up twelve percent on last year, churn fell, hiring paused until March, and the new office opens in May.";

    [Fact]
    public async Task ChatCompletions_ClientLeavesMidStream_RecordsOnceWithTokensStreamedSoFar()
    {
        // A slow model (60 ms per token) of its own, so the stream is still running when the client leaves.
        await using var emulator = await EmulatorServer.StartAsync(o =>
        {
            o.LatencyScale = 1;
            o.Deployments["gpt-4o"] = new DeploymentOptions { TimeToFirstTokenMs = 5, PerOutputTokenMs = 60 };
        });
        var settings = RouterServer.DefaultSettings(stack.Azurite.ConnectionString, emulator.Address);
        var router = await RouterServer.StartAsync(settings);
        var ledger = new LedgerReader(stack.Azurite.ConnectionString);
        string callId;
        var contentChunks = 0;
        JsonElement usage;
        try
        {
            // No draining on dispose: HttpClient would otherwise read the rest of the stream to reuse the connection.
            using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = router.Address };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", RouterServer.CallerKey);

            // The full answer, for comparison: the estimate of the prompt uses the same tokenizer and chat formula as the model.
            using (var full = await http.PostAsJsonAsync("api/v1/chat/completions", Body(stream: false)))
            {
                usage = (await full.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage").Clone();
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/chat/completions") { Content = JsonContent.Create(Body(stream: true)) };
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            callId = response.Headers.GetValues("x-router-call-id").Single();
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (contentChunks < 3 && await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: {", StringComparison.Ordinal) && JsonDocument.Parse(line[6..]).RootElement.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content) && content.GetString()!.Length > 0)
                {
                    contentChunks++;
                }
            }

            // Leave: closing the response mid-body drops the connection.
            reader.Dispose();
            response.Dispose();
        }
        finally
        {
            // Stopping the router waits for the abandoned request's handler to finish, then flushes the
            // ledger: every row the call was ever going to write (a duplicate included) is in the table now.
            await router.DisposeAsync();
        }

        var rows = await ledger.ByRequestAsync(callId);
        var row = Assert.Single(rows);
        Assert.Equal("client-aborted", row.Status);
        Assert.Equal(499, row.HttpStatus);
        Assert.True(row.Streamed);
        Assert.True(row.UsageEstimated);
        Assert.NotNull(row.TimeToFirstTokenMs);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), row.InputTokens);
        Assert.InRange(row.OutputTokens, contentChunks, usage.GetProperty("completion_tokens").GetInt32() - 1);
        Assert.Equal(((row.InputTokens * 2.50m) + (row.OutputTokens * 10.00m)) / 1_000_000m, row.CostUsd);
    }

    private static object Body(bool stream) =>
        new { model = "summarize", stream, messages = new[] { new { role = "user", content = Text } } };
}
