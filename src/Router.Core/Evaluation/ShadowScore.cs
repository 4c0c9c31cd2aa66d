namespace Router.Core.Evaluation;

/// <summary>
/// How one candidate answer compares with the large model's answer to the same call. An answer that
/// breaks the task's output rules is invalid: it scores 0 and never agrees.
/// </summary>
public readonly record struct ShadowScore(bool Valid, bool Agreed, double Score)
{
    public static readonly ShadowScore Invalid = new(false, false, 0);
}
