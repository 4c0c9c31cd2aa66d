using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Router.Core.Background;
using Router.Core.Ledger;

namespace Router.Core.Security;

/// <summary>
/// Today's spend per client, for budgets: this instance's own spend counted exactly as calls
/// are recorded, plus the other instances' spend read from the rollups every
/// <see cref="AuthOptions.SpendRefreshInterval"/>. Across instances a client can therefore
/// overshoot its budget by what the other instances served since their last rollup flush and
/// this instance's last refresh (see docs/security.md for the bound). A refresh that fails or
/// times out (storage hung) keeps the last figures and is tried again on the next tick: loop
/// <c>spend-refresh</c> in /api/health, never the host's end.
/// </summary>
public sealed class ClientSpendTracker(ISpendSource others, TimeProvider time, IOptions<AuthOptions> options, LoopRegistry loops)
    : SupervisedLoop(LoopName, loops, time)
{
    /// <summary>This loop's name in /api/health and in router.background.failures.</summary>
    public const string LoopName = "spend-refresh";

    private readonly ConcurrentDictionary<(DateOnly Day, string Client), long> _localNano = new();

    /// <summary>The same spend per hour, to take this instance's share out of compacted fleet figures.</summary>
    private readonly ConcurrentDictionary<(DateTimeOffset Hour, string Client), long> _localHourNano = new();
    private volatile Snapshot _others = new(DateOnly.MinValue, new Dictionary<string, decimal>());

    public void Add(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.CostUsd == 0)
        {
            return;
        }

        var day = DateOnly.FromDateTime(record.Timestamp.UtcDateTime);
        var nano = (long)decimal.Round(record.CostUsd * CallRecordEntity.NanoPerUsd);
        _localNano.AddOrUpdate((day, record.Client), nano, (_, current) => current + nano);
        _localHourNano.AddOrUpdate((RollupKey.HourOf(record.Timestamp), record.Client), nano, (_, current) => current + nano);
    }

    public decimal SpentToday(string client)
    {
        var today = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);
        var local = _localNano.GetValueOrDefault((today, client)) / CallRecordEntity.NanoPerUsd;
        var snapshot = _others;
        var remote = snapshot.Day == today ? snapshot.Spend.GetValueOrDefault(client) : 0;
        return local + remote;
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);
        var read = await others.OtherInstancesSpendAsync(today, cancellationToken);
        var dayStart = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var spend = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        foreach (var (client, figure) in read.ByClient)
        {
            var value = figure.Usd - figure.OwnIncludedSince;
            if (figure.IncludesOwnBefore is { } before)
            {
                // The compacted part holds this instance's own spend of those hours too, which is counted locally already.
                foreach (var ((hour, ownClient), nano) in _localHourNano)
                {
                    if (hour >= dayStart && hour < before && string.Equals(ownClient, client, StringComparison.OrdinalIgnoreCase))
                    {
                        value -= nano / CallRecordEntity.NanoPerUsd;
                    }
                }
            }

            spend[client] = Math.Max(0, value);
        }

        _others = new Snapshot(today, spend);
        foreach (var key in _localNano.Keys.Where(k => k.Day < today))
        {
            _localNano.TryRemove(key, out _);
        }

        foreach (var key in _localHourNano.Keys.Where(k => DateOnly.FromDateTime(k.Hour.UtcDateTime) < today))
        {
            _localHourNano.TryRemove(key, out _);
        }
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Clients.Any(c => c.DailyBudgetUsd is not null))
        {
            return; // No budgets: nothing to read.
        }

        using var timer = new PeriodicTimer(options.Value.SpendRefreshInterval, Time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
                Loop.Succeeded();
            }
#pragma warning disable CA1031 // Storage down, hung or refusing: keep the last figures (local spend still counts exactly) and try on the next tick.
            catch (Exception ex) when (!TransientFailure.IsShutdown(ex, stoppingToken))
#pragma warning restore CA1031
            {
                Loop.Failed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private sealed record Snapshot(DateOnly Day, IReadOnlyDictionary<string, decimal> Spend);
}
