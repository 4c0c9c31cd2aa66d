using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NCrontab;
using Router.Core.Background;

namespace Router.Functions.Hosting;

/// <summary>
/// Standalone mode: runs every [TimerTrigger] function on its NCRONTAB schedule (six fields,
/// seconds first, as in Azure Functions; %Setting% is read from configuration), with time
/// from <see cref="TimeProvider"/> so tests can drive it. A run that fails is logged and reported
/// as loop <c>timer-scheduler</c> in /api/health; the schedule carries on.
/// </summary>
public sealed partial class TimerFunctionScheduler(IServiceProvider services, IConfiguration configuration, TimeProvider time, ILogger<TimerFunctionScheduler> logger, Assembly assembly, LoopRegistry loops)
    : SupervisedLoop(LoopName, loops, time)
{
    /// <summary>The scheduler's name in /api/health and in router.background.failures.</summary>
    public const string LoopName = "timer-scheduler";

    public static IReadOnlyList<(string Name, string Schedule, MethodInfo Method, string Setting)> Discover(Assembly assembly, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var found = new List<(string, string, MethodInfo, string)>();
        foreach (var method in assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)))
        {
            var function = method.GetCustomAttribute<FunctionAttribute>();
            var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null);
            if (function is not null && trigger is not null)
            {
                found.Add((function.Name, ResolveSetting(trigger.Schedule, configuration), method, trigger.Schedule));
            }
        }

        return found;
    }

    /// <summary>"%Name%" means "the value of setting Name", as in the Functions host.</summary>
    public static string ResolveSetting(string schedule, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(configuration);
        return SettingReference().Replace(schedule, m => configuration[m.Groups[1].Value]
            ?? throw new InvalidOperationException($"{m.Groups[1].Value}: the timer schedule refers to this setting, but it is not set."));
    }

    /// <summary>
    /// Start-up check, before any timer runs: every timer's schedule resolves (its setting is set or
    /// has a default in <see cref="TimerScheduleDefaults"/>) and parses as a six-field NCRONTAB
    /// expression. Throws naming the setting, so a bad value stops the app instead of a loop failing later.
    /// </summary>
    public static void ValidateSchedules(Assembly assembly, IConfiguration configuration)
    {
        foreach (var timer in Discover(assembly, configuration))
        {
            if (CrontabSchedule.TryParse(timer.Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is null)
            {
                throw new InvalidOperationException($"{timer.Setting.Trim('%')}: '{timer.Schedule}' (the schedule of timer function {timer.Name}) is not an NCRONTAB expression with six fields (seconds first), e.g. \"0 0 6 * * *\".");
            }
        }
    }

    protected override Task RunAsync(CancellationToken stoppingToken)
    {
        var timers = Discover(assembly, configuration)
            .Select(t => RunAsync(t.Name, CrontabSchedule.Parse(t.Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }), t.Method, stoppingToken))
            .ToArray();
        return Task.WhenAll(timers);
    }

    private async Task RunAsync(string name, CrontabSchedule schedule, MethodInfo method, CancellationToken stoppingToken)
    {
        // Occurrences follow the previous one (not "now"), so a slow loop or a clock jump never skips an occurrence.
        var last = Time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = new DateTimeOffset(schedule.GetNextOccurrence(last.UtcDateTime), TimeSpan.Zero);
            var now = Time.GetUtcNow();
            var following = new DateTimeOffset(schedule.GetNextOccurrence(next.UtcDateTime), TimeSpan.Zero);
            if (following <= now)
            {
                // Fell behind by more than one period (process paused): run once now, not once per missed occurrence.
                next = now;
            }

            if (next > now)
            {
                try
                {
                    await Task.Delay(next - now, Time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            var info = new TimerInfo
            {
                ScheduleStatus = new ScheduleStatus { Last = last.UtcDateTime, Next = schedule.GetNextOccurrence(next.UtcDateTime), LastUpdated = Time.GetUtcNow().UtcDateTime },
                IsPastDue = Time.GetUtcNow() - next > TimeSpan.FromSeconds(30),
            };
            last = next;
            await InvokeAsync(name, method, info, stoppingToken);
        }
    }

    private async Task InvokeAsync(string name, MethodInfo method, TimerInfo info, CancellationToken stoppingToken)
    {
        await using var scope = services.CreateAsyncScope();
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, method.DeclaringType!);
        var arguments = method.GetParameters()
            .Select(p => p.ParameterType == typeof(TimerInfo) ? info : p.ParameterType == typeof(CancellationToken) ? (object)stoppingToken : null)
            .ToArray();
        try
        {
            LogTimerStarted(logger, name);
            if (method.Invoke(instance, arguments) is Task task)
            {
                await task;
            }

            Loop.Succeeded();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A failing run must not stop the schedule, as under the Functions host.
            LogTimerFailed(logger, name, ex);
            Loop.Failed(ex);
        }
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Timer function {Function} started")]
    private static partial void LogTimerStarted(ILogger logger, string function);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Timer function {Function} failed")]
    private static partial void LogTimerFailed(ILogger logger, string function, Exception exception);
}
