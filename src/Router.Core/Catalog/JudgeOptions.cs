namespace Router.Core.Catalog;

/// <summary>
/// An optional judge for a generation or knowledge task's shadow evaluation
/// (<c>Router:Tasks:{task}:Judge</c>): a catalog model given a rubric, the reference (large) answer and
/// the candidate's answer, asked whether the candidate does the task as well. Its verdict replaces the
/// token-F1 threshold; its calls are evaluation cost of the candidate it judged, never a caller's spend.
/// </summary>
public sealed class JudgeOptions
{
    /// <summary>A model of the price sheet (<c>Router:Models</c>).</summary>
    public string? Model { get; set; }

    /// <summary>What a good answer is for this task; the default asks whether the candidate says what the reference says.</summary>
    public string? Rubric { get; set; }
}
