using Microsoft.ML;
using Microsoft.ML.Trainers;
using Router.Core.Catalog;

namespace Router.Core.Classifier;

/// <summary>One labelled sample for training: its dedup hash, the classifier text and the large model's label.</summary>
public sealed record LabelledText(string InputHash, string Text, string Label);

/// <summary>A trained version: the ML.NET model as bytes (what goes to Blob Storage), its record, and the model ready to serve.</summary>
public sealed record TrainedArtefact(byte[] Model, ClassifierVersionInfo Info, LoadedClassifier Loaded);

/// <summary>
/// Trains a local classifier with ML.NET and nothing hand-written: text featurisation (word and
/// character n-grams) then a multiclass maximum-entropy trainer (SDCA or L-BFGS), on a seeded
/// held-out split; the held-out samples measure the version against the large model's labels.
/// Single-threaded trainers and sorted input make the same samples give the same model.
/// </summary>
public static class ClassifierTrainer
{
    public static TrainedArtefact Train(string model, string task, IReadOnlyList<string> labels, IReadOnlyList<LabelledText> samples, ClassifierSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(settings);
        var now = time.GetUtcNow();
        var started = time.GetTimestamp();
        var trainer = ClassifierVersionInfo.TrainerName(settings);
        var ordered = samples.OrderBy(s => s.InputHash, StringComparer.Ordinal).ToArray();
        var version = ClassifierVersion.Compute(ordered.Select(s => (s.InputHash, s.Label)), labels, settings, trainer);

        var ml = new MLContext(settings.Seed);
        var data = ml.Data.LoadFromEnumerable(ordered.Select(s => new ClassifierRow { Text = s.Text, Label = s.Label }));
        var split = ml.Data.TrainTestSplit(data, settings.HoldOutFraction, seed: settings.Seed);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", nameof(ClassifierRow.Label))
            .Append(ml.Transforms.Text.FeaturizeText("Features", nameof(ClassifierRow.Text)))
            .Append(Multiclass(ml, settings.Trainer))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var transformer = pipeline.Fit(split.TrainSet);

        var heldOut = ml.Data.CreateEnumerable<ClassifierPrediction>(transformer.Transform(split.TestSet), reuseRowObject: false)
            .Select(p => (p.Label, p.PredictedLabel))
            .ToArray();
        var trainCount = ordered.Length - heldOut.Length;
        var metrics = ClassifierMetrics.Compute(trainCount, labels, heldOut);

        using var bytes = new MemoryStream();
        ml.Model.Save(transformer, data.Schema, bytes);
        var info = new ClassifierVersionInfo
        {
            Model = model,
            Task = task,
            Version = version,
            Trainer = trainer,
            TrainedAt = now,
            Samples = ordered.Length,
            HoldOutFraction = settings.HoldOutFraction,
            Seed = settings.Seed,
            TrainingSeconds = time.GetElapsedTime(started).TotalSeconds,
            Metrics = metrics,
        };
        return new TrainedArtefact(bytes.ToArray(), info, new LoadedClassifier(ml, transformer, version));
    }

    private static IEstimator<ITransformer> Multiclass(MLContext ml, ClassifierAlgorithm trainer) => trainer switch
    {
        ClassifierAlgorithm.LbfgsMaximumEntropy => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = "LabelKey",
            FeatureColumnName = "Features",
            NumberOfThreads = 1,
        }),
        _ => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = "LabelKey",
            FeatureColumnName = "Features",
            NumberOfThreads = 1,
        }),
    };
}
