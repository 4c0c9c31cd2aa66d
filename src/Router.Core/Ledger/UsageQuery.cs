using System.Globalization;

namespace Router.Core.Ledger;

/// <summary>
/// A validated usage query over RouterRollups: whole UTC hours [From, To), optional task and
/// client filters, and the dimensions to group by. Built from query-string values by
/// <see cref="TryParse"/>, which names the bad parameter.
/// </summary>
public sealed record UsageQuery
{
    /// <summary>Longest range one query may read.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);

    /// <summary>Range when <c>from</c> is not given.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);

    public string? Task { get; init; }

    public string? Client { get; init; }

    /// <summary>Start of the first hour included.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Start of the first hour not included.</summary>
    public required DateTimeOffset To { get; init; }

    public IReadOnlyList<UsageDimension> GroupBy { get; init; } = [];

    /// <summary>Longest range of a query that reads call rows (<see cref="ReadsCallRows"/>): they are read one by one.</summary>
    public static readonly TimeSpan MaxCallRowRange = TimeSpan.FromDays(7);

    /// <summary>The APIs a call can come from (<see cref="CallRecord.Api"/>).</summary>
    public static readonly IReadOnlyList<string> Apis = ["route", "chat", "responses"];

    /// <summary>Only calls whose metadata holds every one of these pairs (<c>metadata.team=search</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Only calls made through this API (route, chat, responses).</summary>
    public string? Api { get; init; }

    /// <summary>
    /// The rollups hold neither the caller's metadata nor the API, so a query that filters or groups by
    /// them is answered from the call rows of its range (at most <see cref="MaxCallRowRange"/>).
    /// </summary>
    public bool ReadsCallRows => Metadata.Count > 0 || Api is not null || GroupBy.Contains(UsageDimension.Api);

    /// <summary>
    /// This query narrowed to calls carrying <paramref name="metadata"/> and made through <paramref name="api"/>;
    /// a query that then reads call rows must span at most <see cref="MaxCallRowRange"/>.
    /// </summary>
    public bool TryNarrow(IReadOnlyDictionary<string, string> metadata, string? api, out UsageQuery narrowed, out UsageQueryError? error)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        narrowed = this;
        error = null;
        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > 64 || value.Length > 512 || key.Any(char.IsControl) || value.Any(char.IsControl))
            {
                error = new UsageQueryError("metadata." + key, $"metadata.{key}: a metadata filter is metadata.<key>=<value>, the key 1..64 characters, the value at most 512, no control characters.");
                return false;
            }
        }

        if (api is not null && !Apis.Contains(api))
        {
            error = new UsageQueryError("api", $"api: must be one of {string.Join(", ", Apis)} (got '{api}').");
            return false;
        }

        narrowed = this with { Metadata = metadata, Api = api };
        if (narrowed.ReadsCallRows && To - From > MaxCallRowRange)
        {
            error = new UsageQueryError("from", $"from: a query by metadata or api reads the call rows themselves, so from..to may span at most {MaxCallRowRange.TotalDays:0} days.");
            return false;
        }

        return true;
    }

    public static bool TryParse(string? task, string? client, string? from, string? to, string? groupBy, DateTimeOffset now, out UsageQuery query, out UsageQueryError? error)
    {
        query = null!;
        error = null;
        if (task is not null && !IsName(task))
        {
            error = new UsageQueryError("task", "task: must be a task name (1..100 characters, no control characters).");
            return false;
        }

        if (client is not null && !IsName(client))
        {
            error = new UsageQueryError("client", "client: must be a client name (1..100 characters, no control characters).");
            return false;
        }

        DateTimeOffset end;
        if (to is null)
        {
            end = now;
        }
        else if (!TryParseInstant(to, out end))
        {
            error = new UsageQueryError("to", $"to: must be an ISO 8601 date or date-time, e.g. 2025-01-31 or 2025-01-31T12:00:00Z (got '{to}').");
            return false;
        }

        DateTimeOffset start;
        if (from is null)
        {
            start = end - DefaultRange;
        }
        else if (!TryParseInstant(from, out start))
        {
            error = new UsageQueryError("from", $"from: must be an ISO 8601 date or date-time, e.g. 2025-01-30 or 2025-01-30T12:00:00Z (got '{from}').");
            return false;
        }

        var firstHour = RollupKey.HourOf(start);
        var endHour = RollupKey.HourOf(end);
        if (endHour < end)
        {
            endHour += TimeSpan.FromHours(1);
        }

        if (end <= start)
        {
            error = new UsageQueryError("from", "from: must be before to.");
            return false;
        }

        if (endHour - firstHour > MaxRange)
        {
            error = new UsageQueryError("to", $"to: the range from..to may span at most {MaxRange.TotalDays:0} days.");
            return false;
        }

        var dimensions = new List<UsageDimension>();
        if (!string.IsNullOrWhiteSpace(groupBy))
        {
            foreach (var part in groupBy.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Enum.TryParse<UsageDimension>(part, ignoreCase: true, out var dimension) || !Enum.IsDefined(dimension) || int.TryParse(part, out _))
                {
                    error = new UsageQueryError("groupBy", $"groupBy: takes a comma-separated list of hour, day, task, route, model, client, api (got '{part}').");
                    return false;
                }

                if (!dimensions.Contains(dimension))
                {
                    dimensions.Add(dimension);
                }
            }

            if (dimensions.Contains(UsageDimension.Hour) && dimensions.Contains(UsageDimension.Day))
            {
                error = new UsageQueryError("groupBy", "groupBy: may hold hour or day, not both.");
                return false;
            }
        }

        query = new UsageQuery { Task = task, Client = client, From = firstHour, To = endHour, GroupBy = dimensions };
        return true;
    }

    private static bool IsName(string value) => value.Length is > 0 and <= 100 && !value.Any(char.IsControl);

    private static bool TryParseInstant(string value, out DateTimeOffset instant) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
}
