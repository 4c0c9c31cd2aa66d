using Microsoft.Extensions.Time.Testing;
using Router.Core.Catalog;
using Router.Core.Classifier;

namespace Router.Core.Tests.Classifier;

/// <summary>Real ML.NET training on a seeded keyword corpus (2,000 texts): measured on the held-out split, deterministic, thread-safe.</summary>
public sealed class ClassifierTrainerTests
{
    private static readonly ClassifierSettings Sdca = new(ClassifierAlgorithm.SdcaMaximumEntropy, 100, 0.2, 42);
    private static readonly FakeTimeProvider Now = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private static readonly Lazy<(IReadOnlyList<LabelledText> Samples, TrainedArtefact Artefact)> Trained = new(() =>
    {
        var samples = KeywordCorpus.Labelled(KeywordCorpus.Generate(2_000, seed: 7));
        return (samples, ClassifierTrainer.Train("triage-classifier", "triage", KeywordCorpus.Labels, samples, Sdca, Now));
    });

    [Fact]
    public void Train_KeywordCorpus_HeldOutAccuracyAbove95PercentWithMetricsThatAddUp()
    {
        var info = Trained.Value.Artefact.Info;
        var metrics = info.Metrics;
        Assert.True(metrics.Accuracy > 0.95, $"held-out accuracy {metrics.Accuracy:0.000}");
        Assert.Equal(2_000, info.Samples);
        Assert.Equal(2_000, metrics.TrainCount + metrics.HeldOutCount);
        Assert.InRange(metrics.HeldOutCount, 300, 500); // 20% of 2,000, as the seeded split falls
        Assert.Equal(KeywordCorpus.Labels, metrics.Labels);
        Assert.Equal(metrics.HeldOutCount, metrics.Confusion.Sum(row => row.Sum()));
        var diagonal = Enumerable.Range(0, metrics.Labels.Count).Sum(i => metrics.Confusion[i][i]);
        Assert.Equal(metrics.Accuracy, (double)diagonal / metrics.HeldOutCount, 9);
        Assert.All(metrics.PerLabel, l => Assert.True(l.Recall > 0.8, $"{l.Label} recall {l.Recall}"));
        Assert.StartsWith("sdca@ml.net-", info.Trainer, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_SameSamplesAndSettings_SameVersion_OtherSettingsAnotherVersion()
    {
        var samples = Trained.Value.Samples.Take(300).ToArray();
        var first = ClassifierTrainer.Train("m", "t", KeywordCorpus.Labels, samples, Sdca, Now).Info.Version;
        var again = ClassifierTrainer.Train("m", "t", KeywordCorpus.Labels, samples.Reverse().ToArray(), Sdca, new FakeTimeProvider(Now.GetUtcNow().AddHours(1))).Info.Version;
        var otherSeed = ClassifierTrainer.Train("m", "t", KeywordCorpus.Labels, samples, Sdca with { Seed = 1 }, Now).Info.Version;
        var lbfgs = ClassifierTrainer.Train("m", "t", KeywordCorpus.Labels, samples, Sdca with { Trainer = ClassifierAlgorithm.LbfgsMaximumEntropy }, Now).Info.Version;
        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.NotEqual(first, lbfgs);
        Assert.Matches("^[0-9a-f]{16}$", first);
    }

    [Fact]
    public void Load_SavedBytes_PredictsAsTheTrainedModel()
    {
        var (samples, artefact) = Trained.Value;
        using var stream = new MemoryStream(artefact.Model);
        var loaded = LoadedClassifier.Load(stream, artefact.Info.Version);
        foreach (var sample in samples.Take(50))
        {
            Assert.Equal(artefact.Loaded.Predict(sample.Text), loaded.Predict(sample.Text));
        }
    }

    [Fact]
    public void Load_CorruptBytes_ThrowsInvalidDataNamingTheVersion()
    {
        var corrupt = Trained.Value.Artefact.Model.Take(200).ToArray();
        using var stream = new MemoryStream(corrupt);
        var error = Assert.Throws<InvalidDataException>(() => LoadedClassifier.Load(stream, "0123456789abcdef"));
        Assert.Contains("0123456789abcdef", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_32ParallelCallers_SameLabelsAsSequential()
    {
        var (samples, artefact) = Trained.Value;
        var texts = samples.Take(640).Select(s => s.Text).ToArray();
        var sequential = texts.Select(t => artefact.Loaded.Predict(t)).ToArray();
        var parallel = new (string, double)[texts.Length];
        using var start = new Barrier(32);
        await Task.WhenAll(Enumerable.Range(0, 32).Select(worker => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = worker; i < texts.Length; i += 32)
            {
                parallel[i] = artefact.Loaded.Predict(texts[i]);
            }
        })));
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void Metrics_HandComputed_PrecisionRecallAndConfusion()
    {
        string[] labels = ["a", "b"];
        var metrics = ClassifierMetrics.Compute(10, labels, [("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")]);
        Assert.Equal(0.75, metrics.Accuracy);
        Assert.Equal([1, 1], metrics.Confusion[0]);
        Assert.Equal([0, 2], metrics.Confusion[1]);
        Assert.Equal(1.0, metrics.PerLabel[0].Precision);
        Assert.Equal(0.5, metrics.PerLabel[0].Recall);
        Assert.Equal(2.0 / 3, metrics.PerLabel[1].Precision!.Value, 9);
        Assert.Equal(1.0, metrics.PerLabel[1].Recall);
    }
}
