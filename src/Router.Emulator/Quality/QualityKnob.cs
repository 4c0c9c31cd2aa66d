using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Router.Emulator.Generation;
using Router.Emulator.Options;
using Router.Emulator.Wire;

namespace Router.Emulator.Quality;

/// <summary>
/// The quality knob: <c>Emulator:Deployments:{name}:Disagreement</c> is the share of answers that
/// deliberately differ from what every other deployment answers for the same input (the reference).
/// Which inputs differ is decided by a stable hash of (<c>Emulator:QualitySeed</c>, deployment, last
/// user message), so it is deterministic: the same input always gets the same answer, and a test can
/// read the realised share back from <c>GET /emulator/quality</c>. An altered answer still follows
/// the output format, so it is a wrong answer, not a malformed one:
/// a label becomes the next allowed label, a JSON object gets its first field changed, and a text is
/// reworded to "In short, " and its first third (token F1 about 0.5 against the reference).
/// </summary>
public sealed class QualityKnob(IOptions<EmulatorOptions> options)
{
    public const string ReworkPrefix = "In short, ";

    private readonly EmulatorOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, QualityCounters> _counters = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, QualityCounters> Counters => _counters;

    public void Clear() => _counters.Clear();

    /// <summary>The answer this deployment gives: the reference, or its altered form for the configured share of inputs.</summary>
    public string Apply(ChatRequest request, string reference, string userText)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reference);
        var share = _options.Deployments.TryGetValue(request.Deployment, out var deployment) ? deployment.Disagreement ?? 0 : 0;
        if (share <= 0)
        {
            return reference;
        }

        var counters = _counters.GetOrAdd(request.Deployment, _ => new QualityCounters());
        var altered = Differs(request.Deployment, userText, share) ? Alter(request, reference) : null;
        counters.Count(altered is not null && altered != reference);
        return altered ?? reference;
    }

    /// <summary>True for the inputs this deployment answers differently (the same inputs every time).</summary>
    public bool Differs(string deployment, string userText, double share)
    {
        var hash = AllowedLabels.StableHash(_options.QualitySeed.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n" + deployment.ToLowerInvariant() + "\n" + userText);
        return hash / 4294967296.0 < share;
    }

    private static string Alter(ChatRequest request, string reference)
    {
        if (AllowedLabels.Find(request.Messages) is { Count: > 1 } labels)
        {
            var index = labels.ToList().FindIndex(l => string.Equals(l, reference, StringComparison.OrdinalIgnoreCase));
            return labels[(index + 1) % labels.Count];
        }

        if (TryAlterJson(reference) is { } json)
        {
            return json;
        }

        var words = reference.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return ReworkPrefix + string.Join(' ', words.Take(Math.Max(1, words.Length / 3)));
    }

    private static string? TryAlterJson(string reference)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(reference);
        }
        catch (JsonException)
        {
            return null;
        }

        if (node is not JsonObject { Count: > 0 } obj)
        {
            return null;
        }

        var (name, value) = obj.First();
        obj[name] = value?.GetValueKind() switch
        {
            JsonValueKind.String => JsonValue.Create("altered " + value.GetValue<string>()),
            JsonValueKind.Number => JsonValue.Create(value.GetValue<double>() + 1),
            JsonValueKind.True => JsonValue.Create(false),
            JsonValueKind.False => JsonValue.Create(true),
            _ => JsonValue.Create("altered"),
        };
        return obj.ToJsonString();
    }
}

/// <summary>Answers given and answers altered by the quality knob, for one deployment.</summary>
public sealed class QualityCounters
{
    private long _answers;
    private long _altered;

    public long Answers => Interlocked.Read(ref _answers);

    public long Altered => Interlocked.Read(ref _altered);

    public void Count(bool altered)
    {
        Interlocked.Increment(ref _answers);
        if (altered)
        {
            Interlocked.Increment(ref _altered);
        }
    }
}
