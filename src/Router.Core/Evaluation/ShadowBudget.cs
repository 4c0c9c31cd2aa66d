using Router.Core.Ledger;

namespace Router.Core.Evaluation;

/// <summary>
/// This instance's shadow spend per task and candidate per UTC day (time from <see cref="TimeProvider"/>).
/// A shadow call starts only while today's spend plus the calls still running (each at the last
/// call's cost) stays under the daily budget, so shadowing stops within about one call of the cap and
/// starts again on the next UTC day. Thread-safe.
/// </summary>
public sealed class ShadowBudget(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(DateOnly Day, string Task, string Candidate), State> _days = [];

    /// <summary>Reserves a start; false when the budget is used up for today. Pair every true with <see cref="Finish"/>.</summary>
    public bool TryStart(string task, string candidate, decimal dailyBudgetUsd, out DateOnly day)
    {
        day = Today();
        var cap = CallRecordEntity.NanoUsd(dailyBudgetUsd);
        lock (_lock)
        {
            var state = StateOf(day, task, candidate);
            if (state.SpentNano + (state.Running * state.LastCostNano) >= cap)
            {
                return false;
            }

            state.Running++;
            return true;
        }
    }

    /// <summary>The call reserved on <paramref name="day"/> ended (or never ran, at zero cost).</summary>
    public void Finish(DateOnly day, string task, string candidate, decimal costUsd)
    {
        var nano = CallRecordEntity.NanoUsd(costUsd);
        lock (_lock)
        {
            var state = StateOf(day, task, candidate);
            state.Running = Math.Max(0, state.Running - 1);
            state.SpentNano += nano;
            if (nano > 0)
            {
                state.LastCostNano = nano;
            }
        }
    }

    /// <summary>Today's shadow spend of this instance on one candidate.</summary>
    public decimal SpentToday(string task, string candidate)
    {
        lock (_lock)
        {
            return _days.TryGetValue((Today(), task, candidate), out var state) ? state.SpentNano / CallRecordEntity.NanoPerUsd : 0;
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private State StateOf(DateOnly day, string task, string candidate)
    {
        if (!_days.TryGetValue((day, task, candidate), out var state))
        {
            // A new day for this candidate: yesterday's totals are no longer needed.
            foreach (var old in _days.Keys.Where(k => k.Day < day.AddDays(-1)).ToList())
            {
                _days.Remove(old);
            }

            state = new State();
            _days.Add((day, task, candidate), state);
        }

        return state;
    }

    private sealed class State
    {
        public long SpentNano { get; set; }

        public long Running { get; set; }

        public long LastCostNano { get; set; }
    }
}
