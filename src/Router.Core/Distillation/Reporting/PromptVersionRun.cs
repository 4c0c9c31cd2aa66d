namespace Router.Core.Distillation.Reporting;

/// <summary>
/// When the current prompt version started, read from the rollups' PromptVersion column.
/// Rule: walk the hours that have rows from newest to oldest; an hour whose rows all carry the
/// current version extends the run, the first hour with any other version ends it. "Since" is the
/// earliest hour of that unbroken run. Hours without rows (no traffic) neither extend nor break it;
/// rows without a version (written before versions were recorded) count as another version.
/// No row with the current version at all means the version is new: since = now.
/// </summary>
public sealed class PromptVersionRun(string currentVersion)
{
    private readonly SortedDictionary<DateTimeOffset, bool> _hours = [];

    /// <summary>Adds one rollup row's hour and version; order does not matter.</summary>
    public void Add(DateTimeOffset hour, string? version)
    {
        var current = string.Equals(version, currentVersion, StringComparison.Ordinal);
        _hours[hour] = _hours.TryGetValue(hour, out var allCurrent) ? allCurrent && current : current;
    }

    /// <summary>True once an hour with another version has been seen: older history cannot change the answer.</summary>
    public bool IsBroken => _hours.ContainsValue(false);

    /// <summary>The earliest hour of the unbroken run ending at the newest hour; null when the newest hour is not current.</summary>
    public DateTimeOffset? Since
    {
        get
        {
            DateTimeOffset? since = null;
            foreach (var (hour, allCurrent) in _hours.Reverse())
            {
                if (!allCurrent)
                {
                    break;
                }

                since = hour;
            }

            return since;
        }
    }
}
