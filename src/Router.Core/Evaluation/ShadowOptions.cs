namespace Router.Core.Evaluation;

/// <summary><c>Router:Shadow</c>: how shadow calls run. What is shadowed, how often and for how much is per task in the catalog.</summary>
public sealed class ShadowOptions
{
    public const string SectionName = "Router:Shadow";

    /// <summary>Off switch for every shadow call (the catalog's rates and budgets stay as they are).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Shadow calls waiting to run; when full, further ones are skipped and counted (callers never wait).</summary>
    public int QueueCapacity { get; set; } = 1_000;

    /// <summary>Shadow calls running at once.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>Token F1 at or above which a generation (or knowledge) answer counts as agreeing with the large model's.</summary>
    public double GenerationAgreement { get; set; } = 0.8;

    /// <summary>Half-width of the agreement interval the report asks for before it calls the evidence sufficient (±3% by default).</summary>
    public double TargetHalfWidth { get; set; } = 0.03;
}
