using Microsoft.ML.Data;

namespace Router.Core.Classifier;

/// <summary>One row the ML.NET pipeline reads: the small-format input text and, when training, the large model's label.</summary>
public sealed class ClassifierRow
{
    public string Text { get; set; } = string.Empty;

    public string Label { get; set; } = string.Empty;
}

/// <summary>What the pipeline answers for a row: the label and the class probabilities (max = confidence).</summary>
public sealed class ClassifierPrediction
{
    public string Label { get; set; } = string.Empty;

    [ColumnName("PredictedLabel")]
    public string PredictedLabel { get; set; } = string.Empty;

    [ColumnName("Score")]
    public float[] Score { get; set; } = [];
}
