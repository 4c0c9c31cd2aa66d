using System.Globalization;
using System.Text.RegularExpressions;
using Json.Schema;
using Router.Core.Routing;
using Microsoft.Extensions.Options;

namespace Router.Core.Catalog;

/// <summary>
/// Checks the catalog and price sheet at start. Every message starts with the full
/// setting path (for example <c>Router:Tasks:summarize:Large:Model</c>) so that the
/// person reading a failed start knows which setting to fix.
/// </summary>
public sealed partial class RouterOptionsValidator : IValidateOptions<RouterOptions>
{
    public ValidateOptionsResult Validate(string? name, RouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (options.Models.Count == 0)
        {
            errors.Add("Router:Models: no models are configured; the price sheet needs at least one deployment.");
        }

        if (options.Tasks.Count == 0)
        {
            errors.Add("Router:Tasks: no tasks are configured; the catalog needs at least one task.");
        }

        if (options.MaxRequestBodyBytes is < 1024 or > 64 * 1024 * 1024)
        {
            errors.Add($"Router:MaxRequestBodyBytes: {options.MaxRequestBodyBytes} is outside 1024..67108864.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout >= TimeSpan.FromSeconds(230))
        {
            errors.Add($"Router:RequestTimeout: {options.RequestTimeout} must be above zero and below 00:03:50 (the Functions HTTP limit).");
        }

        foreach (var (modelName, model) in options.Models)
        {
            ValidateModel($"Router:Models:{modelName}", modelName, model, errors);
        }

        foreach (var (taskName, task) in options.Tasks)
        {
            ValidateTask($"Router:Tasks:{taskName}", taskName, task, options, errors);
        }

        ValidateLocalClassifierUse(options, errors);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateModel(string path, string modelName, ModelOptions model, List<string> errors)
    {
        if (!NamePattern().IsMatch(modelName))
        {
            errors.Add($"{path}: the name must be lowercase letters, digits and '-', at most 63 characters.");
        }

        var kind = ModelKindNames.Parse(model.Kind);
        if (kind is null)
        {
            errors.Add($"{path}:Kind: '{model.Kind}' is not one of azure-openai, openai-compatible, local-classifier.");
        }
        else if (kind == ModelKind.LocalClassifier)
        {
            ValidateLocalClassifier(path, model, errors);
            return;
        }

        if (!Uri.TryCreate(model.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{path}:Endpoint: '{model.Endpoint}' is not an absolute http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(model.Deployment))
        {
            errors.Add($"{path}:Deployment: is required.");
        }

        switch (model.Auth?.ToLowerInvariant())
        {
            case "key":
                if (string.IsNullOrEmpty(model.ApiKey))
                {
                    errors.Add($"{path}:ApiKey: is required when Auth is 'key' (set it from a secret, e.g. the environment variable {path.Replace(":", "__", StringComparison.Ordinal)}__ApiKey).");
                }

                break;
            case "managed-identity":
                break;
            default:
                errors.Add($"{path}:Auth: '{model.Auth}' is not one of key, managed-identity.");
                break;
        }

        var prices = model.Prices;
        CheckNotNegative($"{path}:Prices:InputPerMillion", prices.InputPerMillion, errors);
        CheckNotNegative($"{path}:Prices:CachedInputPerMillion", prices.CachedInputPerMillion, errors);
        CheckNotNegative($"{path}:Prices:OutputPerMillion", prices.OutputPerMillion, errors);
        CheckNotNegative($"{path}:Prices:HostingPerHour", prices.HostingPerHour, errors);
        CheckNotNegative($"{path}:Prices:TrainingPerMillion", prices.TrainingPerMillion, errors);
        if (prices.EffectiveDate is null)
        {
            errors.Add($"{path}:Prices:EffectiveDate: is required (the date the prices were published), so every recorded cost names its price version.");
        }

        ValidateBackends(path, model, errors);
    }

    private static void ValidateBackends(string path, ModelOptions model, List<string> errors)
    {
        if (model.Backends.Count > 10)
        {
            errors.Add($"{path}:Backends: at most 10 backends per model (got {model.Backends.Count}).");
        }

        for (var i = 0; i < model.Backends.Count; i++)
        {
            var backend = model.Backends[i];
            var at = $"{path}:Backends:{i}";
            if (!Uri.TryCreate(backend.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"{at}:Endpoint: '{backend.Endpoint}' is not an absolute http(s) URL.");
            }

            if (backend.Priority < 1)
            {
                errors.Add($"{at}:Priority: must be 1 or more (the model's own Endpoint is priority 0).");
            }

            switch ((backend.Auth ?? model.Auth)?.ToLowerInvariant())
            {
                case "key":
                    if (string.IsNullOrEmpty(backend.ApiKey) && string.IsNullOrEmpty(model.ApiKey))
                    {
                        errors.Add($"{at}:ApiKey: is required when Auth is 'key' (or set the model's ApiKey).");
                    }

                    break;
                case "managed-identity":
                    break;
                default:
                    errors.Add($"{at}:Auth: '{backend.Auth}' is not one of key, managed-identity.");
                    break;
            }
        }
    }

    private static void ValidateTask(string path, string taskName, TaskOptions task, RouterOptions options, List<string> errors)
    {
        if (!NamePattern().IsMatch(taskName))
        {
            errors.Add($"{path}: the task name must be lowercase letters, digits and '-', at most 63 characters.");
        }

        if (!Enum.TryParse<TaskKind>(task.Kind, ignoreCase: true, out _) || int.TryParse(task.Kind, out _))
        {
            errors.Add($"{path}:Kind: '{task.Kind}' is not one of classification, extraction, generation, knowledge.");
        }

        var route = RouteNames.Parse(task.Route);
        if (route is null)
        {
            errors.Add($"{path}:Route: '{task.Route}' is not one of large, small.");
        }

        CheckModelReference($"{path}:Large:Model", task.Large.Model, options, errors, required: true);
        if (string.IsNullOrWhiteSpace(task.Large.System))
        {
            errors.Add($"{path}:Large:System: the large route needs a system prompt.");
        }

        for (var i = 0; i < task.Large.Examples.Count; i++)
        {
            var example = task.Large.Examples[i];
            if (string.IsNullOrWhiteSpace(example.Input) || string.IsNullOrWhiteSpace(example.Output))
            {
                errors.Add($"{path}:Large:Examples:{i}: an example needs both Input and Output.");
            }
        }

        if (task.Large.Temperature is < 0 or > 2)
        {
            errors.Add($"{path}:Large:Temperature: {task.Large.Temperature} is outside 0..2.");
        }

        if (route == Routing.RouteTarget.Small && task.Small is null)
        {
            errors.Add($"{path}:Small: the task routes to small but has no Small section (Model, System).");
        }

        if (task.Small is not null)
        {
            CheckModelReference($"{path}:Small:Model", task.Small.Model, options, errors, required: true);
        }

        if (task.CaptureRate is < 0 or > 1 || double.IsNaN(task.CaptureRate))
        {
            errors.Add($"{path}:CaptureRate: {task.CaptureRate.ToString(CultureInfo.InvariantCulture)} is outside 0..1.");
        }

        ValidateEvidence(path, task, options, errors);

        if (task.MaxOutputTokens is <= 0)
        {
            errors.Add($"{path}:MaxOutputTokens: must be positive.");
        }

        if (task.Output is { } output)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var label in output.Labels)
            {
                if (string.IsNullOrWhiteSpace(label) || label.Contains(',', StringComparison.Ordinal))
                {
                    errors.Add($"{path}:Output:Labels: '{label}' is empty or contains a comma.");
                }
                else if (!seen.Add(label))
                {
                    errors.Add($"{path}:Output:Labels: '{label}' appears twice.");
                }
            }

            if (output.JsonSchema is { Length: > 0 } schema)
            {
                try
                {
                    _ = JsonSchema.FromText(schema);
                }
                catch (Exception ex) when (ex is System.Text.Json.JsonException or JsonSchemaException or ArgumentException or InvalidOperationException)
                {
                    errors.Add($"{path}:Output:JsonSchema: not a valid JSON schema ({ex.Message}).");
                }
            }

            if (output.Labels.Count > 0 && output.JsonSchema is { Length: > 0 })
            {
                errors.Add($"{path}:Output: give either Labels or JsonSchema, not both.");
            }
        }
    }

    private static void CheckModelReference(string path, string? modelName, RouterOptions options, List<string> errors, bool required)
    {
        if (string.IsNullOrWhiteSpace(modelName))
        {
            if (required)
            {
                errors.Add($"{path}: is required.");
            }

            return;
        }

        if (!options.Models.ContainsKey(modelName))
        {
            errors.Add($"{path}: unknown model '{modelName}' (not under Router:Models).");
        }
    }

    private static void CheckNotNegative(string path, decimal value, List<string> errors)
    {
        if (value < 0)
        {
            errors.Add($"{path}: {value.ToString(CultureInfo.InvariantCulture)} is negative.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
