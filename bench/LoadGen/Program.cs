using System.Globalization;
using System.Net;
using System.Text;
using LoadGen;

// bench/LoadGen: the benchmark's two small parts.
//   serve --port P                      a zero-latency OpenAI-compatible backend: every POST gets one
//                                       fixed chat.completion (the answer "billing", usage 40+1 tokens)
//   run --url U --rate R --seconds S    open-loop load: sends evenly spaced at R per second for S
//       [--body FILE] [--header K:V]... seconds (each send on its own schedule, whether or not earlier
//       [--label NAME] [--warmup S]     ones answered), latency measured from the scheduled send time
//                                       (no coordinated omission); prints one result line
return args.Length > 0 && args[0] == "serve"
    ? await FixedBackend.RunAsync(Arguments.Parse(args[1..]))
    : args.Length > 0 && args[0] == "run"
        ? await OpenLoop.RunAsync(Arguments.Parse(args[1..]))
        : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: LoadGen serve --port P | LoadGen run --url U --rate R --seconds S [--body FILE] [--header K:V]... [--label NAME] [--warmup S]");
    return 2;
}

namespace LoadGen
{
    internal sealed class Arguments
    {
        private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

        public static Arguments Parse(string[] args)
        {
            var parsed = new Arguments();
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                var key = args[i].TrimStart('-');
                if (!parsed._values.TryGetValue(key, out var list))
                {
                    parsed._values[key] = list = [];
                }

                list.Add(args[i + 1]);
            }

            return parsed;
        }

        public string? Get(string key) => _values.TryGetValue(key, out var v) ? v[^1] : null;

        public IReadOnlyList<string> All(string key) => _values.TryGetValue(key, out var v) ? v : [];

        public string Required(string key) => Get(key) ?? throw new ArgumentException($"--{key} is required");

        public double Number(string key, double fallback) => Get(key) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
    }

    internal static class FixedBackend
    {
        private static readonly byte[] Answer = Encoding.UTF8.GetBytes(
            """{"id":"chatcmpl-bench","object":"chat.completion","created":1764633600,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"billing"},"finish_reason":"stop","logprobs":null}],"usage":{"prompt_tokens":40,"completion_tokens":1,"total_tokens":41}}""");

        public static async Task<int> RunAsync(Arguments args)
        {
            var port = (int)args.Number("port", 21290);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            app.Run(async context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    context.Response.StatusCode = 200; // readiness probe
                    return;
                }

                // Read the body like a real backend would, then answer at once.
                var buffer = new byte[4096];
                while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
                {
                }

                context.Response.ContentType = "application/json";
                context.Response.ContentLength = Answer.Length;
                await context.Response.Body.WriteAsync(Answer, context.RequestAborted);
            });
            await app.RunAsync();
            return 0;
        }
    }

    internal static class OpenLoop
    {
        public static async Task<int> RunAsync(Arguments args)
        {
            var url = new Uri(args.Required("url"));
            var rate = args.Number("rate", 300);
            var seconds = args.Number("seconds", 20);
            var warmup = args.Number("warmup", 0);
            var label = args.Get("label") ?? url.ToString();
            var body = args.Get("body") is { } file ? await File.ReadAllBytesAsync(file) : Encoding.UTF8.GetBytes("{}");
            var headers = args.All("header").Select(h => (Name: h[..h.IndexOf(':', StringComparison.Ordinal)], Value: h[(h.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToList();

            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5), UseProxy = false };
            using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
            var time = TimeProvider.System;

            if (warmup > 0)
            {
                await SendAtRateAsync(http, url, body, headers, rate, warmup, time, null);
            }

            var latencies = new List<double>((int)(rate * seconds) + 16);
            var counts = new Counts();
            var started = time.GetTimestamp();
            await SendAtRateAsync(http, url, body, headers, rate, seconds, time, (ms, ok) =>
            {
                lock (latencies)
                {
                    latencies.Add(ms);
                    if (!ok)
                    {
                        counts.Errors++;
                    }
                }
            });
            var elapsed = time.GetElapsedTime(started).TotalSeconds;

            latencies.Sort();
            double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label,-28} sent={latencies.Count} rps={latencies.Count / elapsed:F0} p50={P(0.50):F3}ms p90={P(0.90):F3}ms p99={P(0.99):F3}ms max={P(1):F3}ms errors={counts.Errors}"));
            return 0;
        }

        /// <summary>
        /// Sends request i at start + i/rate. A timer wakes the loop about every millisecond and it
        /// fires every send that is due, so sends stay on schedule even when answers are slow.
        /// </summary>
        private static async Task SendAtRateAsync(HttpClient http, Uri url, byte[] body, List<(string Name, string Value)> headers, double rate, double seconds, TimeProvider time, Action<double, bool>? record)
        {
            var total = (long)(rate * seconds);
            var start = time.GetTimestamp();
            var inFlight = new List<Task>((int)Math.Min(total, 1_000_000));
            long sent = 0;
            while (sent < total)
            {
                var due = Math.Min(total, (long)(time.GetElapsedTime(start).TotalSeconds * rate) + 1);
                for (; sent < due; sent++)
                {
                    var scheduled = start + (long)(sent / rate * time.TimestampFrequency);
                    inFlight.Add(SendOneAsync(http, url, body, headers, scheduled, time, record));
                }

                await Task.Delay(1);
            }

            await Task.WhenAll(inFlight);
        }

        private static async Task SendOneAsync(HttpClient http, Uri url, byte[] body, List<(string Name, string Value)> headers, long scheduled, TimeProvider time, Action<double, bool>? record)
        {
            var ok = false;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                ok = response.StatusCode == HttpStatusCode.OK;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                ok = false;
            }

            record?.Invoke(time.GetElapsedTime(scheduled).TotalMilliseconds, ok);
        }

        private sealed class Counts
        {
            public int Errors { get; set; }
        }
    }
}
