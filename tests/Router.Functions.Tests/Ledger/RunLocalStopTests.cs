using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Ledger;

/// <summary>
/// scripts/run-local.sh stopped right after a burst of calls keeps every call: the router stops
/// first and flushes, Azurite last and saves its database (SIGINT); started again on the same data
/// folder, the stack has a row and a rollup count for each call. Both ways a person stops it: Ctrl-C
/// (SIGINT to the whole job, where Azurite may close first and the journal in the data folder
/// carries the rest) and <c>kill</c> of the script (SIGTERM, the ordered stop).
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class RunLocalStopTests
{
    private const int Burst = 60;

    [Theory]
    [InlineData("-TERM", false)]
    [InlineData("-INT", true)]
    public async Task RunLocal_StoppedRightAfterABurst_EveryCallIsThereAfterARestart(string signal, bool wholeGroup)
    {
        var data = Directory.CreateTempSubdirectory("run-local-stop").FullName;
        var ports = (Router: FreePort.Next(), Table: FreePort.Next(), Blob: FreePort.Next(), Emulator: FreePort.Next());
        var callIds = new List<string>();
        await using (var stack = await StartAsync(data, ports))
        {
            using var http = Client(ports.Router);
            var calls = Enumerable.Range(0, Burst).Select(async i =>
            {
                using var response = await http.PostAsJsonAsync("api/route", new { task = "ticket-triage", input = $"Ticket {i}: I was charged twice" });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callId").GetString()!;
            });
            callIds.AddRange(await Task.WhenAll(calls));

            if (wholeGroup)
            {
                await stack.SignalGroupAsync(signal);
            }
            else
            {
                await stack.SignalProcessAsync(signal);
            }

            Assert.True(await stack.WaitForExitAsync(TimeSpan.FromSeconds(90)), "run-local.sh did not stop:\n" + stack.Output);
        }

        await using (var again = await StartAsync(data, ports))
        {
            using var http = Client(ports.Router);
            var deadline = TimeProvider.System.GetUtcNow() + ReadyTimeout.Value;
            long calls;
            while ((calls = await UsageCallsAsync(http)) < Burst)
            {
                Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Only {calls} of {Burst} calls in the usage after the restart.");
                await Task.Delay(200);
            }

            Assert.Equal(Burst, calls);
            var rows = await new LedgerReader(ConnectionString(ports.Table)).AllAsync();
            // The served calls, each once. Shadow rows (the sample catalog shadows ticket-triage's candidates) are
            // evaluation only: shadow calls still queued at shutdown are dropped by design, so they are not counted here.
            Assert.Equal(callIds.Order(), rows.Where(r => r.Status != Router.Core.Ledger.CallStatus.Shadow).Select(r => r.CallId).Order());
            await again.SignalProcessAsync("-TERM");
            Assert.True(await again.WaitForExitAsync(TimeSpan.FromSeconds(90)), "run-local.sh did not stop:\n" + again.Output);
        }

        Directory.Delete(data, recursive: true);
    }

    private static async Task<long> UsageCallsAsync(HttpClient http)
    {
        var usage = await http.GetFromJsonAsync<JsonElement>("api/usage");
        return usage.GetProperty("total").GetProperty("calls").GetInt64();
    }

    private static async Task<ServerProcess> StartAsync(string data, (int Router, int Table, int Blob, int Emulator) ports)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepositoryPaths.Root };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", "run-local.sh"));
        start.Environment["ROUTER_NO_BUILD"] = "true"; // the test build made the Release binaries
        start.Environment["ROUTER_DATA_DIR"] = data;
        start.Environment["ROUTER_PORT"] = ports.Router.ToString(CultureInfo.InvariantCulture);
        start.Environment["AZURITE_TABLE_PORT"] = ports.Table.ToString(CultureInfo.InvariantCulture);
        start.Environment["AZURITE_BLOB_PORT"] = ports.Blob.ToString(CultureInfo.InvariantCulture);
        start.Environment["EMULATOR_PORT"] = ports.Emulator.ToString(CultureInfo.InvariantCulture);
        start.Environment["ROUTER_DEV_KEY"] = RouterServer.AdminKey;
        using var probe = Client(ports.Router);
        return await ServerProcess.StartAsync($"run-local.sh (router port {ports.Router})", start, async token =>
        {
            using var response = await probe.GetAsync("api/health", token);
            return true;
        });
    }

    private static HttpClient Client(int port)
    {
        #pragma warning disable RS0030 // A test's own client to a local stack, owned and disposed by the test.
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        #pragma warning restore RS0030
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", RouterServer.AdminKey);
        return client;
    }

    private static string ConnectionString(int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteServer.AccountKey};TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
}
