using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Router.Emulator.Auth;
using Router.Emulator.Endpoints;
using Router.Emulator.Faults;
using Router.Emulator.Generation;
using Router.Emulator.Latency;
using Router.Emulator.Options;
using Router.Emulator.Recording;
using Router.Emulator.Tokens;
using Router.Emulator.Wire;

namespace Router.Emulator;

/// <summary>
/// Builds the emulator as a web app, so the same code runs standalone (Program) and in-process
/// under tests, which pass <c>--urls http://127.0.0.1:0</c> and read the bound address back.
/// </summary>
public static class EmulatorApp
{
    public const string DefaultUrl = "http://127.0.0.1:5280";

    public static WebApplication Build(string[] args, Action<EmulatorOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);

        // Lowest-precedence defaults: any appsettings, environment variable or argument wins.
        // Per-request hosting logs would cost more than the emulator's own work under benchmark load.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            },
        });

        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var options = builder.Services.AddOptions<EmulatorOptions>()
            .Bind(builder.Configuration.GetSection(EmulatorOptions.SectionName));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Configuration keys are case-insensitive; make deployment look-ups match however the dictionary was built.
        options.PostConfigure(o =>
        {
            o.Deployments = new Dictionary<string, DeploymentOptions>(o.Deployments, StringComparer.OrdinalIgnoreCase);
            o.Labelling.Keywords = new Dictionary<string, List<string>>(o.Labelling.Keywords, StringComparer.OrdinalIgnoreCase);
        });
        options.ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EmulatorOptions>, EmulatorOptionsValidator>();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TokenCounter>();
        builder.Services.AddSingleton<LabellingRule>();
        builder.Services.AddSingleton<OutputGenerator>();
        builder.Services.AddSingleton<Quality.QualityKnob>();
        builder.Services.AddSingleton<LatencyModel>();
        builder.Services.AddSingleton<FaultRegistry>();
        builder.Services.AddSingleton<RequestLog>();
        builder.Services.AddSingleton<EmulatorStats>();
        builder.Services.AddSingleton<CompletionIds>();
        builder.Services.AddSingleton<ApiKeyCheck>();
        builder.Services.AddSingleton<ChatCompletionsHandler>();
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, EmulatorJsonContext.Default));

        var app = builder.Build();
        MapEndpoints(app);
        return app;
    }

    private static void MapEndpoints(WebApplication app)
    {
        // Resolved once: the handler is a singleton and the chat routes are the hot path.
        var chat = app.Services.GetRequiredService<ChatCompletionsHandler>();
        app.MapPost("/openai/deployments/{deployment}/chat/completions", context => chat.HandleAsync(context, WireFormat.Azure));
        app.MapPost("/v1/chat/completions", context => chat.HandleAsync(context, WireFormat.OpenAI));
        app.MapGet("/health", () => TypedResults.Json(new HealthView("ok"), EmulatorJsonContext.Default.HealthView));
        app.MapControlEndpoints();
        Quality.QualityEndpoints.MapQualityEndpoints(app);
    }
}
