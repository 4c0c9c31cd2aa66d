using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Background;
using Router.Core.Catalog;
using Router.Core.Ledger;

namespace Router.Functions.Hosting;

/// <summary>
/// Plain ASP.NET Core serving the same function classes at the same routes, for where the
/// Functions host is not installed (local runs, tests, containers). Timer functions run on
/// their schedules here too.
/// </summary>
public static class StandaloneHost
{
    public const string Flag = "--standalone";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args.Where(a => a != Flag).ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        builder.Configuration.AddRouterCatalogFile().AddTimerScheduleDefaults();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);

        builder.Services.AddRouter(builder.Configuration);
        builder.Services.AddRouterTelemetry(builder.Configuration);
        builder.Services.AddMvcCore();
        builder.Services.AddHostedService(sp => new TimerFunctionScheduler(sp, builder.Configuration, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TimerFunctionScheduler>>(), typeof(StandaloneHost).Assembly, sp.GetRequiredService<LoopRegistry>()));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        builder.Services.PostConfigure<HostOptions>(o =>
        {
            // Shutdown must outlast the ledger's flush deadline, or queued records would be cut off.
            var builtLedger = builder.Configuration.GetSection(LedgerOptions.SectionName).Get<LedgerOptions>() ?? new LedgerOptions();
            if (o.ShutdownTimeout < builtLedger.ShutdownFlushTimeout + TimeSpan.FromSeconds(5))
            {
                o.ShutdownTimeout = builtLedger.ShutdownFlushTimeout + TimeSpan.FromSeconds(5);
            }
        });
        builder.WebHost.ConfigureKestrel(k =>
        {
            var max = builder.Configuration.GetSection(RouterOptions.SectionName).Get<RouterOptions>()?.MaxRequestBodyBytes ?? 1024 * 1024;
            // Kestrel's cap sits above the router's own check, so the router can answer with a 413 that names the setting.
            k.Limits.MaxRequestBodySize = Math.Max(max, 1024 * 1024) * 2L;
        });

        TimerFunctionScheduler.ValidateSchedules(typeof(StandaloneHost).Assembly, builder.Configuration);
        var app = builder.Build();
        app.MapHttpFunctions(typeof(StandaloneHost).Assembly);
        app.MapFallback(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "application/problem+json";
            return context.Response.WriteAsync("{\"type\":\"https://router.dev/problems/404\",\"title\":\"Not found\",\"status\":404,\"detail\":\"No such endpoint. See GET /api/tasks and README.md for the API.\"}");
        });
        _ = app.Services.GetRequiredService<IOptions<RouterOptions>>();
        return app;
    }
}
