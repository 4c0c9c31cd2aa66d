using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Router.Core.Background;
using Router.Core.Health;
using Router.Core.Ledger;

namespace Router.Core.Tests.Health;

/// <summary>The health status rule: what the probes found, the ledger backlog and the loops, composed into one answer with its reasons.</summary>
public sealed class HealthCompositionTests
{
    private static readonly DependencyHealth StorageUp = new("table-storage", HealthStatus.Healthy, 2, null);
    private static readonly DependencyHealth StorageHung = new("table-storage", HealthStatus.Unhealthy, 3000, "no answer within 3 s");
    private static readonly DependencyHealth[] ModelsUp = [new("large", HealthStatus.Healthy, 1, null), new("small", HealthStatus.Healthy, 1, null)];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Compose_EverythingUpNoBacklog_HealthyWithNoReasons()
    {
        var loops = Loops("ledger-writer", "spend-refresh");

        var report = HealthComposition.Compose(StorageUp, ModelsUp, new FakeQueue(), loops.States);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Empty(report.Reasons);
        Assert.Empty(report.FailingLoops);
        Assert.Equal(["ledger-writer", "spend-refresh"], report.Loops.Select(l => l.Name));
    }

    [Fact]
    public void Compose_StorageHungWithBacklog_DegradedWithQueueDepthAndOldestRecordAge()
    {
        var queue = new FakeQueue { QueueDepth = 412, OldestPendingAge = TimeSpan.FromSeconds(45) };

        var report = HealthComposition.Compose(StorageHung, ModelsUp, queue, Loops().States);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal((412, 45.0), (report.Ledger.QueueDepth, report.Ledger.OldestPendingSeconds));
        Assert.Contains("table-storage: no answer within 3 s", report.Reasons);
        Assert.Contains("ledger: 412 records waiting, the oldest for 45 s", report.Reasons);
    }

    [Fact]
    public void Compose_YoungBacklogStorageUp_Healthy()
    {
        var queue = new FakeQueue { QueueDepth = 30, OldestPendingAge = TimeSpan.FromSeconds(1) };

        var report = HealthComposition.Compose(StorageUp, ModelsUp, queue, Loops().States);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(30, report.Ledger.QueueDepth);
    }

    [Fact]
    public void Compose_OneLoopFailing_DegradedNamingThatLoopOnly()
    {
        var loops = Loops("ledger-writer", "spend-refresh");
        var failing = loops.Register("spend-refresh");
        failing.Failed(new TimeoutException("storage did not answer"));
        failing.Failed(new TimeoutException("storage did not answer"));

        var report = HealthComposition.Compose(StorageUp, ModelsUp, new FakeQueue(), loops.States);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal(["spend-refresh"], report.FailingLoops);
        var reason = Assert.Single(report.Reasons);
        Assert.StartsWith("background loop spend-refresh failing since 2026-03-02T09:00:00", reason, StringComparison.Ordinal);
        Assert.Contains("2 failures, last TimeoutException", reason, StringComparison.Ordinal);
        Assert.Equal(LoopState.Healthy, report.Loops.Single(l => l.Name == "ledger-writer").Status);
    }

    [Fact]
    public void Compose_LoopRecovered_HealthyAgain()
    {
        var loops = Loops("ledger-writer");
        var writer = loops.Register("ledger-writer");
        writer.Failed(new TaskCanceledException());
        writer.Succeeded();

        var report = HealthComposition.Compose(StorageUp, ModelsUp, new FakeQueue(), loops.States);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Empty(report.FailingLoops);
    }

    [Fact]
    public void Compose_RecordsDroppedOrRejected_DegradedSayingHowMany()
    {
        var report = HealthComposition.Compose(StorageUp, ModelsUp, new FakeQueue { Dropped = 10, Rejected = 2 }, Loops().States);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal(["ledger: 10 records lost (queue full)", "ledger: 2 records refused by storage"], report.Reasons);
    }

    [Fact]
    public void Compose_NoModelAnswers_Unhealthy()
    {
        DependencyHealth[] down = [new("large", HealthStatus.Unhealthy, 3000, "no answer within 3 s"), new("small", HealthStatus.Unhealthy, 1, "connection refused")];

        var report = HealthComposition.Compose(StorageUp, down, new FakeQueue(), Loops().States);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(["model large: no answer within 3 s", "model small: connection refused"], report.Reasons);
    }

    [Fact]
    public void Compose_OneModelDown_Degraded()
    {
        DependencyHealth[] oneDown = [ModelsUp[0], new("small", HealthStatus.Unhealthy, 1, "connection refused")];

        var report = HealthComposition.Compose(StorageUp, oneDown, new FakeQueue(), Loops().States);

        Assert.Equal(HealthStatus.Degraded, report.Status);
    }

    private LoopRegistry Loops(params string[] names)
    {
        var loops = new LoopRegistry(_time, NullLoggerFactory.Instance);
        foreach (var name in names)
        {
            loops.Register(name);
        }

        return loops;
    }

    private sealed class FakeQueue : ILedgerQueueStatus
    {
        public int QueueDepth { get; init; }

        public TimeSpan? OldestPendingAge { get; init; }

        public long Dropped { get; init; }

        public long Rejected { get; init; }

        public long Written { get; init; }

        public long StorageRequests { get; init; }

        public string InstanceId { get; init; } = "test";
    }
}
