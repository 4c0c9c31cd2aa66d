using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Core.Background;
using Router.Functions.Hosting;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Hosting;

public sealed class TimerFunctionSchedulerTests
{
    [Fact]
    public async Task Scheduler_FakeTimeCrossesScheduledMinutes_RunsTheFunctionOncePerOccurrence()
    {
        var time = new ObservedFakeTimeProvider(new DateTimeOffset(2026, 11, 29, 5, 59, 30, TimeSpan.Zero));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Test:Schedule"] = "0 */30 * * * *" }).Build();
        var runs = new RunLog();
        using var services = new ServiceCollection().AddSingleton(runs).AddSingleton<TimeProvider>(time).BuildServiceProvider();
        using var scheduler = new TimerFunctionScheduler(services, configuration, time, NullLogger<TimerFunctionScheduler>.Instance, typeof(TimerFunctionSchedulerTests).Assembly, new LoopRegistry(time, NullLoggerFactory.Instance));

        await scheduler.StartAsync(CancellationToken.None);
        // "Waiting" means: the loop has gone back to a delay that ends in the future. A run that is due
        // (or that a broken schedule would make) happens before the loop waits again, so each check below
        // sees every run the scheduler was going to make at that instant, not just the ones that were quick.
        await time.WaitUntilWaitingAsync();
        Assert.Empty(runs.Runs);

        time.Advance(TimeSpan.FromSeconds(30)); // 06:00:00
        await time.WaitUntilWaitingAsync();
        Assert.Single(runs.Runs);

        time.Advance(TimeSpan.FromMinutes(29)); // 06:29:00: not yet
        await time.WaitUntilWaitingAsync();
        Assert.Single(runs.Runs);

        time.Advance(TimeSpan.FromMinutes(1)); // 06:30:00
        await time.WaitUntilWaitingAsync();
        Assert.Equal(2, runs.Runs.Count);

        await scheduler.StopAsync(CancellationToken.None);
        Assert.Equal(2, runs.Runs.Count);
        Assert.Equal(new DateTime(2026, 11, 29, 6, 30, 0), runs.Runs[0].ScheduleStatus!.Next);
        Assert.Equal(new DateTime(2026, 11, 29, 7, 0, 0), runs.Runs[1].ScheduleStatus!.Next);
    }

    [Fact]
    public void ResolveSetting_MissingSetting_FailsNamingIt()
    {
        var configuration = new ConfigurationBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => TimerFunctionScheduler.ResolveSetting("%Router:Distillation:Schedule%", configuration));

        Assert.Contains("Router:Distillation:Schedule", error.Message, StringComparison.Ordinal);
    }

    public sealed class RunLog
    {
        private readonly List<TimerInfo> _runs = [];

        public IReadOnlyList<TimerInfo> Runs
        {
            get
            {
                lock (_runs)
                {
                    return [.. _runs];
                }
            }
        }

        public void Add(TimerInfo info)
        {
            lock (_runs)
            {
                _runs.Add(info);
            }
        }
    }
}

/// <summary>A timer function that exists only in the test assembly, so the scheduler is tested on its own.</summary>
public sealed class HalfHourlyTestTimer(TimerFunctionSchedulerTests.RunLog log)
{
    [Function("HalfHourlyTestTimer")]
    public Task Run([TimerTrigger("%Test:Schedule%")] TimerInfo timer)
    {
        log.Add(timer);
        return Task.CompletedTask;
    }
}
