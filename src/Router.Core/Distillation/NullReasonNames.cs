namespace Router.Core.Distillation;

/// <summary>The wire name of a null reason, and how it reads in a sentence (Markdown, dashboard).</summary>
public static class NullReasonNames
{
    public static string ToWireName(this NullReason reason) => reason switch
    {
        NullReason.NoData => "no-data",
        NullReason.NotCheaper => "not-cheaper",
        NullReason.LosesAtThisVolume => "loses-at-this-volume",
        NullReason.RetiresFirst => "retires-first",
        NullReason.KnowledgeTask => "knowledge-task",
        NullReason.NoSmallModel => "no-small-model",
        NullReason.NotDistilled => "not-distilled",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown null reason."),
    };
}
