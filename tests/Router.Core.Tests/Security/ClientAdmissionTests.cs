using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Router.Core.Background;
using Router.Core.Ledger;
using Router.Core.Security;
using Router.Core.Tests.Ledger;

namespace Router.Core.Tests.Security;

/// <summary>
/// Admission rules (rate per client, daily budget) on a fake clock: refill, burst cap and the
/// budget's day boundary are checked by moving the clock, never by waiting. The end-to-end proof
/// over HTTP is ClientLimitsTests.
/// </summary>
public sealed class ClientAdmissionTests
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Admit_BurstOfRequestsPerMinute_AllowsThatManyThenRefusesWithRetryAfter()
    {
        var time = new FakeTimeProvider(Morning);
        var admission = Admission(time, new ClientKeyOptions { Name = "caller-a", RequestsPerMinute = 3 });

        var decisions = Enumerable.Range(0, 4).Select(_ => admission.Admit(Client("caller-a"))).ToList();

        Assert.Equal([true, true, true, false], decisions.Select(d => d.Allowed));
        var refused = decisions[^1];
        Assert.Equal("rate_limit_exceeded", refused.Code);
        Assert.Contains("3 requests per minute", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(20), refused.RetryAfter); // 3 per minute: one token every 20 s
    }

    [Fact]
    public void Admit_RefusedThenClockReachesRetryAfter_AllowsExactlyThen()
    {
        var time = new FakeTimeProvider(Morning);
        var admission = Admission(time, new ClientKeyOptions { Name = "caller-a", RequestsPerMinute = 60 });
        for (var i = 0; i < 60; i++)
        {
            Assert.True(admission.Admit(Client("caller-a")).Allowed);
        }

        var refused = admission.Admit(Client("caller-a"));
        time.Advance(refused.RetryAfter - TimeSpan.FromMilliseconds(10));
        var early = admission.Admit(Client("caller-a"));
        time.Advance(TimeSpan.FromMilliseconds(10));
        var onTime = admission.Admit(Client("caller-a"));

        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
        Assert.False(early.Allowed);
        Assert.True(onTime.Allowed);
    }

    [Fact]
    public void Admit_IdleForAnHour_BurstStaysCappedAtTheLimit()
    {
        var time = new FakeTimeProvider(Morning);
        var admission = Admission(time, new ClientKeyOptions { Name = "caller-a", RequestsPerMinute = 5 });
        Assert.True(admission.Admit(Client("caller-a")).Allowed);

        time.Advance(TimeSpan.FromHours(1));
        var allowed = Enumerable.Range(0, 10).Count(_ => admission.Admit(Client("caller-a")).Allowed);

        Assert.Equal(5, allowed);
    }

    [Fact]
    public void Admit_OneClientOverItsRate_OtherClientsAndOtherSpellingsKeepTheirOwnBuckets()
    {
        var time = new FakeTimeProvider(Morning);
        var admission = Admission(time,
            new ClientKeyOptions { Name = "caller-a", RequestsPerMinute = 1 },
            new ClientKeyOptions { Name = "caller-b", RequestsPerMinute = 1 },
            new ClientKeyOptions { Name = "unlimited" });

        var first = admission.Admit(Client("caller-a"));
        var sameClientOtherCase = admission.Admit(Client("CALLER-A"));
        var other = admission.Admit(Client("caller-b"));
        var unlimited = Enumerable.Range(0, 1_000).All(_ => admission.Admit(Client("unlimited")).Allowed);

        Assert.True(first.Allowed);
        Assert.False(sameClientOtherCase.Allowed); // names are case-insensitive: one client, one bucket
        Assert.True(other.Allowed);
        Assert.True(unlimited);
    }

    [Fact]
    public void Admit_SpendReachesBudget_RefusesUntilNextUtcDay()
    {
        var time = new FakeTimeProvider(Morning);
        var options = Options.Create(new AuthOptions { Clients = [new ClientKeyOptions { Name = "caller-a", KeySha256 = new string('0', 64), DailyBudgetUsd = 1m }] });
        var spend = new ClientSpendTracker(new NoOtherInstances(), time, options, new LoopRegistry(time, NullLoggerFactory.Instance));
        var admission = new ClientAdmission(options, spend, time);

        spend.Add(LedgerRecords.Call(Morning, "c1", client: "caller-a", cost: 0.999999m));
        var under = admission.Admit(Client("caller-a"));
        spend.Add(LedgerRecords.Call(Morning, "c2", client: "caller-a", cost: 0.000001m));
        var at = admission.Admit(Client("caller-a"));
        time.Advance(TimeSpan.FromHours(15) - TimeSpan.FromSeconds(1));
        var lastSecond = admission.Admit(Client("caller-a"));
        time.Advance(TimeSpan.FromSeconds(1));
        var nextDay = admission.Admit(Client("caller-a"));

        Assert.True(under.Allowed);
        Assert.False(at.Allowed);
        Assert.Equal("budget_exceeded", at.Code);
        Assert.Equal(TimeSpan.FromHours(15), at.RetryAfter);
        Assert.Contains("2026-11-21 00:00 UTC", at.Reason, StringComparison.Ordinal);
        Assert.False(lastSecond.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(1), lastSecond.RetryAfter);
        Assert.True(nextDay.Allowed);
    }

    [Fact]
    public void Admit_OverBudgetAndRate_ReportsTheBudget()
    {
        var time = new FakeTimeProvider(Morning);
        var options = Options.Create(new AuthOptions { Clients = [new ClientKeyOptions { Name = "caller-a", KeySha256 = new string('0', 64), DailyBudgetUsd = 1m, RequestsPerMinute = 1 }] });
        var spend = new ClientSpendTracker(new NoOtherInstances(), time, options, new LoopRegistry(time, NullLoggerFactory.Instance));
        var admission = new ClientAdmission(options, spend, time);
        Assert.True(admission.Admit(Client("caller-a")).Allowed);

        spend.Add(LedgerRecords.Call(Morning, "c1", client: "caller-a", cost: 2m));
        var refused = admission.Admit(Client("caller-a"));

        Assert.Equal("budget_exceeded", refused.Code); // waiting a minute would not help; waiting for tomorrow does
    }

    private static ClientAdmission Admission(TimeProvider time, params ClientKeyOptions[] clients)
    {
        var options = Options.Create(new AuthOptions { Clients = [.. clients] });
        return new ClientAdmission(options, new ClientSpendTracker(new NoOtherInstances(), time, options, new LoopRegistry(time, NullLoggerFactory.Instance)), time);
    }

    private static ClientIdentity Client(string name) => new(name, new HashSet<string> { ClientRoles.Caller });

    private sealed class NoOtherInstances : ISpendSource
    {
        public Task<OtherSpend> OtherInstancesSpendAsync(DateOnly day, CancellationToken cancellationToken) => Task.FromResult(OtherSpend.None);
    }
}
