using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Router.Core.Routing;

namespace Router.Core.Catalog;

/// <summary>The validated, compiled catalog: task name to <see cref="CatalogTask"/>.</summary>
public sealed class TaskCatalog
{
    private readonly FrozenDictionary<string, CatalogTask> _tasks;

    public TaskCatalog(IOptions<RouterOptions> options, TokenCounter tokens)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokens);
        var value = options.Value;
        var models = value.Models.ToFrozenDictionary(m => m.Key, m => ToModel(m.Key, m.Value), StringComparer.OrdinalIgnoreCase);
        Models = models.Values.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
        _tasks = value.Tasks.ToFrozenDictionary(t => t.Key, t => ToTask(t.Key, t.Value, models, tokens), StringComparer.OrdinalIgnoreCase);
        Tasks = _tasks.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<CatalogTask> Tasks { get; }

    public IReadOnlyList<CatalogModel> Models { get; }

    public bool TryResolve(string? task, out CatalogTask resolved)
    {
        if (task is not null && _tasks.TryGetValue(task, out var found))
        {
            resolved = found;
            return true;
        }

        resolved = null!;
        return false;
    }

    /// <summary>The label line (or the JSON schema) is part of both prompts: the emulator and real models both need it to answer in range.</summary>
    internal static string WithOutputRules(string system, OutputRule output)
    {
        if (output.Labels.Count > 0)
        {
            return system.TrimEnd() + "\nAllowed labels: " + string.Join(", ", output.Labels);
        }

        // The schema itself goes into the prompt: an explicit output format is the first thing a prompt should have.
        return output.RequiresJson ? system.TrimEnd() + "\nRespond with JSON only, matching this JSON schema: " + output.JsonSchemaText!.ReplaceLineEndings(" ").Trim() : system;
    }

    private static CatalogModel ToModel(string name, ModelOptions options)
    {
        var prices = options.Prices;
        var kind = ModelKindNames.Parse(options.Kind)!.Value;
        var local = kind == ModelKind.LocalClassifier;
        var model = new CatalogModel(
            name,
            kind,
            local ? LocalEndpoint(name) : new Uri(options.Endpoint!, UriKind.Absolute),
            local ? name : options.Deployment!,
            string.Equals(options.Auth, "managed-identity", StringComparison.OrdinalIgnoreCase),
            options.ApiKey,
            string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
            new ModelPrices(prices.InputPerMillion, prices.CachedInputPerMillion, prices.OutputPerMillion, prices.HostingPerHour, prices.TrainingPerMillion, prices.EffectiveDate!.Value, prices.RetiresOn) { PerCall = prices.PerCall })
        {
            SupportsReasoning = options.Reasoning,
        };
        return local
            ? model with { Classifier = ClassifierSettings.From(options.Classifier) }
            : model with { Backends = BackendFailover.Order(model, options.Backends) };
    }

    /// <summary>A local classifier has no network endpoint; this names it where an endpoint is shown (logs, /api/models).</summary>
    public static Uri LocalEndpoint(string model) => new("local://" + model.ToLowerInvariant() + "/", UriKind.Absolute);

    private static CatalogTask ToTask(string name, TaskOptions options, FrozenDictionary<string, CatalogModel> models, TokenCounter tokens)
    {
        var output = options.Output is null ? OutputRule.None : new OutputRule(options.Output.Labels.Select(l => l.Trim()).ToArray(), options.Output.JsonSchema);
        var examples = options.Large.Examples.Select(e => new FewShotExample(e.Input!, e.Output!)).ToArray();
        var largeSystem = WithOutputRules(options.Large.System!, output);
        var smallSystem = options.Small is null ? null : WithOutputRules(options.Small.System ?? string.Empty, output);
        return new CatalogTask
        {
            Name = name.ToLowerInvariant(),
            Kind = Enum.Parse<TaskKind>(options.Kind!, ignoreCase: true),
            Route = RouteNames.Parse(options.Route)!.Value,
            Description = options.Description,
            LargeModel = models[options.Large.Model!],
            LargeSystem = largeSystem,
            Examples = examples,
            Temperature = options.Large.Temperature,
            SmallModel = options.Small?.Model is { } small ? models[small] : null,
            SmallSystem = smallSystem,
            Output = output,
            CascadeToLarge = options.CascadeToLarge,
            CaptureRate = options.CaptureRate,
            MaxOutputTokens = options.MaxOutputTokens,
            PromptVersion = PromptVersion.Compute(largeSystem, examples, smallSystem, output),
            LargeSystemTokens = tokens.Count(largeSystem),
            ExamplesTokens = examples.Sum(e => tokens.Count(e.Input) + tokens.Count(e.Output)),
            SmallSystemTokens = tokens.Count(smallSystem),
            Candidates = options.Candidates
                .Select(c => new CatalogCandidate(c.Key.ToLowerInvariant(), models[c.Value.Model!], RouteNames.Parse(c.Value.Prompt)!.Value, c.Value.ShadowRate, c.Value.DailyBudgetUsd ?? 0))
                .OrderBy(c => c.Name, StringComparer.Ordinal)
                .ToArray(),
            QualityBar = options.QualityBar,
            LargeShadowRate = options.LargeShadow.ShadowRate,
            LargeShadowDailyBudgetUsd = options.LargeShadow.DailyBudgetUsd ?? 0,
            ConfidenceThreshold = options.ConfidenceThreshold,
            Judge = options.Judge is { Model: { } judge } ? new CatalogJudge(models[judge], string.IsNullOrWhiteSpace(options.Judge.Rubric) ? CatalogJudge.DefaultRubric : options.Judge.Rubric.Trim()) : null,
        };
    }
}
