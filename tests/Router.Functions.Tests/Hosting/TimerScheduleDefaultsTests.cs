using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Router.Core.Distillation;
using Router.Functions.Hosting;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Hosting;

/// <summary>
/// Every setting a timer's schedule refers to has a default or stops start-up naming it: a catalog
/// that omits <c>Router:Distillation:Schedule</c> used to start and then fail in the timer
/// scheduler with a stack trace. No servers needed: these routers never make a call.
/// </summary>
public sealed class TimerScheduleDefaultsTests
{
    [Fact]
    public void Defaults_EveryTimerFunctionsSetting_HasADefaultThatParses()
    {
        var settings = typeof(StandaloneHost).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(m => m.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).OfType<TimerTriggerAttribute>())
            .Select(t => t.Schedule)
            .ToList();
        Assert.NotEmpty(settings);

        var configuration = new ConfigurationManager();
        configuration.AddTimerScheduleDefaults();
        foreach (var schedule in settings)
        {
            Assert.StartsWith("%", schedule, StringComparison.Ordinal);
            Assert.True(TimerScheduleDefaults.Values.ContainsKey(schedule.Trim('%')), $"{schedule} has no default in TimerScheduleDefaults");
        }

        TimerFunctionScheduler.ValidateSchedules(typeof(StandaloneHost).Assembly, configuration);
    }

    [Fact]
    public async Task Start_CatalogOmitsTheSchedule_StartsWithTheDailyDefault()
    {
        var catalog = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, RouterConfiguration.DefaultCatalogFile)))!;
        Assert.True(catalog["Router"]!.AsObject().Remove("Distillation"));
        var file = Path.Combine(Path.GetTempPath(), $"catalog-no-schedule-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, catalog.ToJsonString());
        try
        {
            var settings = Settings();
            settings["Router:CatalogFile"] = file;

            await using var router = await RouterServer.StartAsync(settings);

            Assert.Equal(DistillationOptions.DefaultSchedule, router.Services.GetRequiredService<IOptions<DistillationOptions>>().Value.Schedule);
            var timer = Assert.Single(TimerFunctionScheduler.Discover(typeof(StandaloneHost).Assembly, router.App.Configuration), t => t.Name == "DistillationTimer");
            Assert.Equal(DistillationOptions.DefaultSchedule, timer.Schedule);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Start_SettingOverridesTheDefault_SettingWins()
    {
        var settings = Settings();
        settings["Router:Distillation:Schedule"] = "0 30 2 * * *";

        await using var router = await RouterServer.StartAsync(settings);

        var timer = Assert.Single(TimerFunctionScheduler.Discover(typeof(StandaloneHost).Assembly, router.App.Configuration), t => t.Name == "DistillationTimer");
        Assert.Equal("0 30 2 * * *", timer.Schedule);
    }

    [Fact]
    public async Task Start_ScheduleIsNotCron_FailsBeforeStartNamingTheSetting()
    {
        var settings = Settings();
        settings["Router:Distillation:Schedule"] = "every morning";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => { await using var router = await RouterServer.StartAsync(settings); });

        Assert.StartsWith("Router:Distillation:Schedule: 'every morning'", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings() =>
        RouterServer.DefaultSettings("UseDevelopmentStorage=true", new Uri("http://127.0.0.1:9/"));
}
