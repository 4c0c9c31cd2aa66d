namespace Router.Core.Catalog;

/// <summary>
/// A cheaper way to serve a task, evaluated in the shadow of live traffic before anyone switches to it
/// (<c>Router:Tasks:{task}:Candidates:{name}</c>).
/// </summary>
public sealed class CandidateOptions
{
    /// <summary>A model of the price sheet (<c>Router:Models</c>).</summary>
    public string? Model { get; set; }

    /// <summary>
    /// large: the task's full plan (system + examples + context), i.e. a cheaper prompted model;
    /// small: the short prompt a tuned model expects.
    /// </summary>
    public string? Prompt { get; set; } = "large";

    /// <summary>Share of served calls mirrored to this candidate (0..1; 0 = not shadowed).</summary>
    public double ShadowRate { get; set; }

    /// <summary>Most this candidate's shadow calls may cost per UTC day (USD); shadowing stops for the rest of the day at the cap.</summary>
    public decimal? DailyBudgetUsd { get; set; }
}

/// <summary>
/// The slice of calls served by anything other than the large model (the small route, a promoted
/// candidate) that is also sent to the large model, so the route keeps measuring its agreement with
/// the base (<c>Router:Tasks:{task}:LargeShadow</c>).
/// </summary>
public sealed class LargeShadowOptions
{
    public double ShadowRate { get; set; }

    public decimal? DailyBudgetUsd { get; set; }
}
