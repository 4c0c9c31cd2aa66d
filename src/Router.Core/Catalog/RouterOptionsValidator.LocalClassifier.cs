using System.Globalization;

namespace Router.Core.Catalog;

/// <summary>Local classifiers: their training settings, and which tasks may use one.</summary>
public sealed partial class RouterOptionsValidator
{
    private static void ValidateLocalClassifier(string path, ModelOptions model, List<string> errors)
    {
        var classifier = model.Classifier;
        if (ClassifierAlgorithmNames.Parse(classifier.Trainer) is null)
        {
            errors.Add($"{path}:Classifier:Trainer: '{classifier.Trainer}' is not one of sdca, lbfgs.");
        }

        if (classifier.MinSamples is < 10 or > 10_000_000)
        {
            errors.Add($"{path}:Classifier:MinSamples: {classifier.MinSamples} is outside 10..10000000.");
        }

        if (!(classifier.HoldOutFraction is >= 0.05 and <= 0.5))
        {
            errors.Add($"{path}:Classifier:HoldOutFraction: {classifier.HoldOutFraction.ToString(CultureInfo.InvariantCulture)} is outside 0.05..0.5.");
        }

        if (model.Backends.Count > 0)
        {
            errors.Add($"{path}:Backends: a local classifier runs in-process and has no backends.");
        }

        var prices = model.Prices;
        CheckNotNegative($"{path}:Prices:PerCall", prices.PerCall, errors);
        if (prices.EffectiveDate is null)
        {
            errors.Add($"{path}:Prices:EffectiveDate: is required (the date the prices were set), so every recorded cost names its price version.");
        }
    }

    /// <summary>A local classifier learns one classification task's labels: only that task may serve or shadow it, and never as its large model.</summary>
    private static void ValidateLocalClassifierUse(RouterOptions options, List<string> errors)
    {
        var usedBy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (taskName, task) in options.Tasks)
        {
            var path = $"Router:Tasks:{taskName}";
            if (IsLocalClassifier(task.Large.Model, options))
            {
                errors.Add($"{path}:Large:Model: '{task.Large.Model}' is a local classifier; the large model is the reference it learns from, so it must be a chat model.");
            }

            var uses = task.Candidates.Select(c => ($"{path}:Candidates:{c.Key}:Model", c.Value.Model)).Prepend(($"{path}:Small:Model", task.Small?.Model));
            foreach (var (at, model) in uses)
            {
                if (!IsLocalClassifier(model, options))
                {
                    continue;
                }

                if (!string.Equals(task.Kind, "classification", StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{at}: '{model}' is a local classifier, which only serves classification tasks (this task is '{task.Kind}').");
                }
                else if (task.Output is not { Labels.Count: >= 2 })
                {
                    errors.Add($"{at}: '{model}' is a local classifier; the task needs Output:Labels (two or more) for it to learn.");
                }

                if (usedBy.TryGetValue(model!, out var other) && !string.Equals(other, taskName, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{at}: local classifier '{model}' already learns task '{other}'; give each task its own local-classifier model.");
                }

                usedBy[model!] = taskName;
            }
        }
    }

    private static bool IsLocalClassifier(string? model, RouterOptions options) =>
        model is not null && options.Models.TryGetValue(model, out var found) && ModelKindNames.Parse(found.Kind) == ModelKind.LocalClassifier;
}
