using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Router.Core.Routing;
using Router.Functions.Http;

namespace Router.Functions.OpenAi;

/// <summary>
/// Reads the generation parameters OpenAI's chat completions and Responses APIs share
/// (top_p, stop, seed, penalties, logit_bias, user, parallel_tool_calls, reasoning effort,
/// store), each checked against the API's own ranges, with the parameter named on error.
/// One reader for every OpenAI-shaped endpoint, so they accept and refuse alike.
/// </summary>
public static class OpenAiParameters
{
    public const int MaxStopSequences = 4;
    public const int MaxMetadataPairs = 16;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 512;

    public static readonly IReadOnlyList<string> ReasoningEfforts = ["minimal", "low", "medium", "high"];

    /// <summary>Reads the shared parameters present on <paramref name="root"/>; <paramref name="reasoningEffort"/> is read by the caller (chat: a string, Responses: reasoning.effort).</summary>
    public static RequestError? ReadSampling(JsonElement root, string? reasoningEffort, out SamplingOptions sampling)
    {
        sampling = SamplingOptions.None;
        var rangeError = Number(root, "top_p", 0, 1, out var topP);
        double? presence = null, frequency = null;
        rangeError ??= Number(root, "presence_penalty", -2, 2, out presence);
        rangeError ??= Number(root, "frequency_penalty", -2, 2, out frequency);
        if (rangeError is not null)
        {
            return rangeError;
        }

        long? seed = null;
        if (Present(root, "seed", out var seedElement))
        {
            if (seedElement.ValueKind != JsonValueKind.Number || !seedElement.TryGetInt64(out var value))
            {
                return Invalid("'seed' must be an integer.", "seed");
            }

            seed = value;
        }

        var stop = new List<string>();
        if (Present(root, "stop", out var stopElement))
        {
            if (stopElement.ValueKind == JsonValueKind.String)
            {
                stop.Add(stopElement.GetString()!);
            }
            else if (stopElement.ValueKind == JsonValueKind.Array && stopElement.GetArrayLength() <= MaxStopSequences)
            {
                foreach (var item in stopElement.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || item.GetString()!.Length == 0)
                    {
                        return Invalid($"'stop' must be a string or an array of at most {MaxStopSequences} non-empty strings.", "stop");
                    }

                    stop.Add(item.GetString()!);
                }
            }
            else
            {
                return Invalid($"'stop' must be a string or an array of at most {MaxStopSequences} non-empty strings.", "stop");
            }

            if (stop.Exists(s => s.Length == 0))
            {
                return Invalid("'stop' must not be an empty string.", "stop");
            }
        }

        var bias = new Dictionary<int, int>();
        if (Present(root, "logit_bias", out var biasElement))
        {
            if (biasElement.ValueKind != JsonValueKind.Object)
            {
                return Invalid("'logit_bias' must be an object mapping token ids to a bias from -100 to 100.", "logit_bias");
            }

            foreach (var entry in biasElement.EnumerateObject())
            {
                if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var token)
                    || entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetDouble(out var value)
                    || value is < -100 or > 100 || value != Math.Floor(value))
                {
                    return Invalid($"'logit_bias.{entry.Name}': keys must be token ids and values integers from -100 to 100.", "logit_bias");
                }

                bias[token] = (int)value;
            }
        }

        string? user = null;
        if (Present(root, "user", out var userElement))
        {
            if (userElement.ValueKind != JsonValueKind.String)
            {
                return Invalid($"'user' must be a string (got {Kind(userElement)}).", "user");
            }

            user = userElement.GetString();
        }

        bool? parallel = null;
        if (Present(root, "parallel_tool_calls", out var parallelElement))
        {
            if (parallelElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Invalid($"'parallel_tool_calls' must be a boolean (got {Kind(parallelElement)}).", "parallel_tool_calls");
            }

            parallel = parallelElement.GetBoolean();
        }

        if (Present(root, "store", out var storeElement))
        {
            if (storeElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Invalid($"'store' must be a boolean (got {Kind(storeElement)}).", "store");
            }

            if (storeElement.GetBoolean())
            {
                return Unsupported("'store' must be false: the router keeps no completions for later retrieval or distillation on the provider's side.", "store");
            }
        }

        sampling = new SamplingOptions
        {
            TopP = topP,
            PresencePenalty = presence,
            FrequencyPenalty = frequency,
            Seed = seed,
            Stop = stop,
            LogitBias = bias,
            EndUser = user,
            ParallelToolCalls = parallel,
            ReasoningEffort = reasoningEffort,
        };
        return null;
    }

    /// <summary>
    /// <c>metadata</c>: OpenAI's at most 16 string pairs (keys 1..64 characters, values at most 512), recorded on
    /// the call's ledger row and usable as a usage filter (<c>GET /api/usage?metadata.team=search</c>).
    /// </summary>
    public static (IReadOnlyDictionary<string, string>? Metadata, RequestError? Error) ReadMetadata(JsonElement root)
    {
        if (!Present(root, "metadata", out var metadata))
        {
            return (null, null);
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return (null, Invalid($"'metadata' must be an object of string pairs (got {Kind(metadata)}).", "metadata"));
        }

        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in metadata.EnumerateObject())
        {
            if (pairs.Count == MaxMetadataPairs)
            {
                return (null, Invalid($"'metadata' holds more than {MaxMetadataPairs} pairs.", "metadata"));
            }

            if (pair.Name.Length is 0 or > MaxMetadataKeyLength)
            {
                return (null, Invalid($"'metadata' keys must be 1 to {MaxMetadataKeyLength} characters.", "metadata"));
            }

            if (pair.Value.ValueKind != JsonValueKind.String || pair.Value.GetString()!.Length > MaxMetadataValueLength)
            {
                return (null, Invalid($"'metadata.{pair.Name}' must be a string of at most {MaxMetadataValueLength} characters.", "metadata." + pair.Name));
            }

            pairs[pair.Name] = pair.Value.GetString()!;
        }

        return (pairs, null);
    }

    /// <summary>Reads a reasoning effort value found at <paramref name="param"/>.</summary>
    public static RequestError? ReadReasoningEffort(JsonElement element, string param, out string? effort)
    {
        effort = null;
        if (element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String || !ReasoningEfforts.Contains(element.GetString()!))
        {
            return Invalid($"'{param}' must be one of {string.Join(", ", ReasoningEfforts)}.", param);
        }

        effort = element.GetString();
        return null;
    }

    /// <summary>
    /// reasoning_effort needs a reasoning deployment: refused, naming the parameter, when the task
    /// can reach a deployment that does not declare one (<c>Router:Models:{name}:Reasoning</c>).
    /// </summary>
    public static RequestError? CheckReasoning(Core.Catalog.CatalogTask task, SamplingOptions sampling, string param)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(sampling);
        if (sampling.ReasoningEffort is null)
        {
            return null;
        }

        var plain = task.ReachableModels().FirstOrDefault(m => !m.SupportsReasoning);
        return plain is null
            ? null
            : Unsupported($"Unsupported parameter: '{param}' needs a reasoning deployment, and task '{task.Name}' is served by '{plain.Name}', which is not one.", param);
    }

    internal static bool Present(JsonElement root, string name, out JsonElement value) =>
        root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    internal static RequestError? Number(JsonElement root, string name, double min, double max, out double? value)
    {
        value = null;
        if (!Present(root, name, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var number) || number < min || number > max)
        {
            return Invalid($"'{name}' must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.", name);
        }

        value = number;
        return null;
    }

    internal static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Undefined => "nothing",
        _ => element.ValueKind.ToString().ToLowerInvariant(),
    };

    internal static RequestError Invalid(string message, string param) => new(StatusCodes.Status400BadRequest, message, param, "invalid_value");

    internal static RequestError Unsupported(string message, string param) => new(StatusCodes.Status400BadRequest, message, param, "unsupported_parameter");
}
