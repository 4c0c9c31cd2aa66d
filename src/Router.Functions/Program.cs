using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;
using Router.Functions.Hosting;

// Standalone (no Functions host present): plain ASP.NET Core serving the same functions.
if (args.Contains(StandaloneHost.Flag) || Environment.GetEnvironmentVariable("ROUTER_STANDALONE") == "true")
{
    await StandaloneHost.Build(args).RunAsync();
    return;
}

// Functions host (Azure, or `func start`).
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<UnhandledFailureMiddleware>();
builder.Configuration.AddRouterCatalogFile().AddTimerScheduleDefaults();
builder.Services.AddRouter(builder.Configuration);
builder.Services.AddRouterTelemetry(builder.Configuration).UseFunctionsWorkerDefaults();
await builder.Build().RunAsync();
