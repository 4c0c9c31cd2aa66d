using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Router.Functions.Tests.Distillation;

/// <summary>A tiny webhook on real Kestrel: answers each POST with the next scripted status (0 = never answer).</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<int> _script;
    private readonly WebApplication _app;
    private int _attempts;

    private WebhookReceiver(IEnumerable<int> script, WebApplication app)
    {
        _script = new ConcurrentQueue<int>(script);
        _app = app;
    }

    public Uri Url { get; private set; } = null!;

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Bodies of the POSTs that were answered with a 2xx: what the receiver accepted.</summary>
    public ConcurrentQueue<string> Accepted { get; } = new();

    public static async Task<WebhookReceiver> StartAsync(params int[] statuses)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(statuses, app);
        app.MapPost("/hook", async context =>
        {
            Interlocked.Increment(ref receiver._attempts);
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var status = receiver._script.TryDequeue(out var next) ? next : StatusCodes.Status200OK;
            if (status == 0)
            {
                // Never answers: hold the request until the caller gives up.
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            if (status is >= 200 and < 300)
            {
                receiver.Accepted.Enqueue(body);
            }

            context.Response.StatusCode = status;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address.TrimEnd('/') + "/hook");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
