using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace Router.Core.Classifier;

/// <summary>
/// One version in memory, ready to predict from many threads at once. A PredictionEngine is not
/// thread-safe, so each call borrows one from a pool (Microsoft.Extensions.ObjectPool) and returns it;
/// the transformer itself is shared, read-only.
/// </summary>
public sealed class LoadedClassifier
{
    private readonly ObjectPool<PredictionEngine<ClassifierRow, ClassifierPrediction>> _engines;

    public LoadedClassifier(MLContext ml, ITransformer transformer, string version)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(transformer);
        Version = version;
        _engines = new DefaultObjectPool<PredictionEngine<ClassifierRow, ClassifierPrediction>>(new EnginePolicy(ml, transformer), Environment.ProcessorCount * 4);
    }

    public string Version { get; }

    /// <summary>Reads a model saved by <see cref="ClassifierTrainer"/>; throws <see cref="InvalidDataException"/> for bytes that are not one.</summary>
    public static LoadedClassifier Load(Stream model, string version)
    {
        var ml = new MLContext();
        ITransformer transformer;
        try
        {
            transformer = ml.Model.Load(model, out _);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException($"Classifier version {version} is not a readable ML.NET model: {ex.GetType().Name}: {ex.Message}", ex);
        }

        var loaded = new LoadedClassifier(ml, transformer, version);
        try
        {
            _ = loaded.Predict("probe");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException($"Classifier version {version} loads but cannot predict: {ex.GetType().Name}: {ex.Message}", ex);
        }

        return loaded;
    }

    /// <summary>The predicted label and its probability (the highest class probability).</summary>
    public (string Label, double Confidence) Predict(string text)
    {
        var engine = _engines.Get();
        try
        {
            var prediction = engine.Predict(new ClassifierRow { Text = text });
            var confidence = prediction.Score.Length == 0 ? 0 : prediction.Score.Max();
            return (prediction.PredictedLabel, confidence);
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer transformer) : IPooledObjectPolicy<PredictionEngine<ClassifierRow, ClassifierPrediction>>
    {
        // The one place a PredictionEngine is made: each is used by one thread at a time, borrowed from the pool.
        [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0030:Do not use banned APIs", Justification = "The pool's factory is the one allowed creator of prediction engines; callers rent them.")]
        public PredictionEngine<ClassifierRow, ClassifierPrediction> Create() =>
            ml.Model.CreatePredictionEngine<ClassifierRow, ClassifierPrediction>(transformer);

        public bool Return(PredictionEngine<ClassifierRow, ClassifierPrediction> obj) => true;
    }
}
