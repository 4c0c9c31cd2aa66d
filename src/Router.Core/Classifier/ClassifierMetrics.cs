namespace Router.Core.Classifier;

/// <summary>
/// How a trained version did on its held-out split, against the large model's labels:
/// accuracy, precision and recall per label, and the confusion matrix
/// (<c>Confusion[i][j]</c> = held-out samples labelled <c>Labels[i]</c> by the large model and predicted <c>Labels[j]</c>).
/// </summary>
public sealed record ClassifierMetrics(
    int TrainCount,
    int HeldOutCount,
    double Accuracy,
    IReadOnlyList<LabelMetrics> PerLabel,
    IReadOnlyList<string> Labels,
    IReadOnlyList<IReadOnlyList<int>> Confusion)
{
    public static ClassifierMetrics Compute(int trainCount, IReadOnlyList<string> labels, IEnumerable<(string Actual, string Predicted)> heldOut)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(heldOut);
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.OrdinalIgnoreCase);
        var matrix = labels.Select(_ => new int[labels.Count]).ToArray();
        var count = 0;
        var correct = 0;
        foreach (var (actual, predicted) in heldOut)
        {
            count++;
            if (index.TryGetValue(actual, out var a) && index.TryGetValue(predicted, out var p))
            {
                matrix[a][p]++;
                correct += a == p ? 1 : 0;
            }
        }

        var perLabel = labels.Select((label, i) =>
        {
            var support = matrix[i].Sum();
            var predictedAs = matrix.Sum(row => row[i]);
            var hits = matrix[i][i];
            return new LabelMetrics(label, support, predictedAs == 0 ? null : (double)hits / predictedAs, support == 0 ? null : (double)hits / support);
        }).ToArray();
        return new ClassifierMetrics(trainCount, count, count == 0 ? 0 : (double)correct / count, perLabel, labels, matrix);
    }
}

/// <summary>Precision (null when nothing was predicted as the label) and recall (null when no held-out sample had it).</summary>
public sealed record LabelMetrics(string Label, int Support, double? Precision, double? Recall);
