namespace Router.Core.Distillation;

/// <summary>
/// What a report's figures rest on, said the way a person reads it: "from 1.2 hours of traffic:
/// 77 calls/h, about 1,850 calls/day". Provisional until the task has W complete days of history;
/// every verdict and figure of a provisional report is an extrapolation from this span.
/// </summary>
public sealed record UsageBasis
{
    public required bool Provisional { get; init; }

    /// <summary>Start of the span (inclusive); the first call for a provisional report.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of the span (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Length of the span in hours (W x 24 for a full window; 0 without traffic).</summary>
    public required decimal SpanHours { get; init; }

    /// <summary>Requests in the span, both routes (a cascade counts once).</summary>
    public required long Calls { get; init; }

    public required decimal CallsPerHour { get; init; }

    /// <summary>V.</summary>
    public required decimal CallsPerDay { get; init; }

    /// <summary>One sentence with the span and the rate.</summary>
    public required string Summary { get; init; }

    public static UsageBasis Of(TaskUsageWindow usage, int windowDays)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var calls = usage.Large.Calls + usage.Small.Calls;
        var spanHours = calls == 0 && usage.Provisional ? 0m : usage.Days * 24m;
        var perDay = DistillationEconomics.CallsPerDay(calls, usage.Days);
        var perHour = perDay / 24m;
        string summary;
        if (calls == 0)
        {
            summary = usage.Provisional
                ? "no traffic yet: every figure waits for the first calls"
                : $"no calls in the last {windowDays} complete days";
        }
        else if (!usage.Provisional)
        {
            summary = $"from {windowDays} complete days: {ReasonFormat.Count(perDay)} calls/day";
        }
        else if (spanHours < 48m)
        {
            summary = $"from {ReasonFormat.Span(spanHours)} of traffic: {ReasonFormat.Rate(perHour)} calls/h, about {ReasonFormat.Count(perDay)} calls/day";
        }
        else
        {
            summary = $"from {ReasonFormat.Span(spanHours)} of traffic: about {ReasonFormat.Count(perDay)} calls/day";
        }

        return new UsageBasis
        {
            Provisional = usage.Provisional,
            From = usage.From,
            To = usage.To,
            SpanHours = spanHours,
            Calls = calls,
            CallsPerHour = perHour,
            CallsPerDay = perDay,
            Summary = summary,
        };
    }
}
