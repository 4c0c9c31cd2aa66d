using System.Diagnostics;
using System.Text.Json;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>
/// The .NET Aspire dashboard from the eng/tools PackageDownload, on free ports, with its OTLP
/// receiver and its HTTP telemetry API open (no auth: a test-only, loopback-only instance).
/// Restores eng/tools first when the package is missing; fails (never skips) when it cannot start.
/// A <see cref="ServerProcess"/>: scaled readiness wait, killed when the test process ends.
/// </summary>
public sealed class AspireDashboardServer : IAsyncDisposable
{
    public const string Version = "13.6.5";

    private readonly ServerProcess _process;

    private AspireDashboardServer(ServerProcess process, Uri frontend, Uri otlpGrpc)
    {
        _process = process;
        Frontend = frontend;
        OtlpGrpc = otlpGrpc;
        #pragma warning disable RS0030 // A test's own client to a local test server, owned and disposed with it: not one per call, no DNS to refresh.
        Http = new HttpClient { BaseAddress = frontend, Timeout = TimeSpan.FromSeconds(30) };
        #pragma warning restore RS0030
    }

    public Uri Frontend { get; }

    public Uri OtlpGrpc { get; }

    public HttpClient Http { get; }

    public static string BinaryPath =>
        Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "aspire.dashboard.sdk.linux-x64", Version, "tools", "Aspire.Dashboard");

    public static async Task<AspireDashboardServer> StartAsync()
    {
        if (!File.Exists(BinaryPath))
        {
            await RestoreToolsAsync();
        }

        var frontendPort = FreePort.Next();
        var grpcPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var start = new ProcessStartInfo(BinaryPath)
        {
            WorkingDirectory = Path.GetDirectoryName(BinaryPath)!,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{frontendPort}";
        start.Environment["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{grpcPort}";
        start.Environment["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{httpPort}";
        start.Environment["DASHBOARD__FRONTEND__AUTHMODE"] = "Unsecured";
        start.Environment["DASHBOARD__OTLP__AUTHMODE"] = "Unsecured";
        // /api/telemetry/* answers 401 without this (it wants an x-api-key otherwise).
        start.Environment["DASHBOARD__API__AUTHMODE"] = "Unsecured";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var frontend = new Uri($"http://127.0.0.1:{frontendPort}/");
        #pragma warning disable RS0030 // A test's own client to a local test server, owned and disposed with it: not one per call, no DNS to refresh.
        using var probe = new HttpClient { BaseAddress = frontend, Timeout = TimeSpan.FromSeconds(30) };
        #pragma warning restore RS0030
        var process = await ServerProcess.StartAsync($"The Aspire dashboard ({BinaryPath})", start, async token =>
        {
            using var response = await probe.GetAsync(new Uri("api/telemetry/resources", UriKind.Relative), token);
            return response.IsSuccessStatusCode;
        });
        return new AspireDashboardServer(process, frontend, new Uri($"http://127.0.0.1:{grpcPort}"));
    }

    /// <summary>Every span the dashboard holds, flattened from its OTLP JSON (resourceSpans / scopeSpans / spans).</summary>
    public async Task<IReadOnlyList<OtlpSpan>> SpansAsync()
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync("api/telemetry/spans"));
        var spans = new List<OtlpSpan>();
        foreach (var resource in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = Attributes(resource.GetProperty("resource")).GetValueOrDefault("service.name");
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    spans.Add(new OtlpSpan(
                        service,
                        span.GetProperty("name").GetString()!,
                        span.GetProperty("traceId").GetString()!,
                        span.GetProperty("spanId").GetString()!,
                        span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() : null,
                        span.TryGetProperty("kind", out var kind) ? kind.ToString() : null,
                        Attributes(span),
                        span.TryGetProperty("events", out var events) ? events.GetRawText() : string.Empty));
                }
            }
        }

        return spans;
    }

    private static Dictionary<string, string?> Attributes(JsonElement owner)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!owner.TryGetProperty("attributes", out var attributes))
        {
            return result;
        }

        foreach (var attribute in attributes.EnumerateArray())
        {
            var value = attribute.GetProperty("value");
            var text = value.EnumerateObject().FirstOrDefault() is { Value.ValueKind: not JsonValueKind.Undefined } first
                ? first.Value.ValueKind == JsonValueKind.String ? first.Value.GetString() : first.Value.GetRawText()
                : null;
            result[attribute.GetProperty("key").GetString()!] = text;
        }

        return result;
    }

    private static async Task RestoreToolsAsync()
    {
        var restore = Process.Start(new ProcessStartInfo("dotnet", ["restore", Path.Combine(RepositoryPaths.Root, "eng", "tools", "tools.csproj"), "--nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = restore.StandardOutput.ReadToEndAsync();
        var stderr = restore.StandardError.ReadToEndAsync();
        await restore.WaitForExitAsync();
        if (restore.ExitCode != 0 || !File.Exists(BinaryPath))
        {
            throw new InvalidOperationException($"Restoring eng/tools did not bring {BinaryPath}:\n{await stdout}\n{await stderr}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
    }
}

/// <summary>One span as the dashboard's API returns it; attribute values as text (OTLP JSON carries ints as strings).</summary>
public sealed record OtlpSpan(string? Service, string Name, string TraceId, string SpanId, string? ParentSpanId, string? Kind, IReadOnlyDictionary<string, string?> Attributes, string EventsJson);
