using System.Text.Json;
using Router.Core.Catalog;

namespace Router.Core.Evaluation;

/// <summary>
/// Scores a candidate's answer against the large model's answer (the reference) by task kind, after
/// applying the task's output rules to the candidate:
/// <list type="bullet">
/// <item>classification: the normalised labels are equal (score 1 or 0);</item>
/// <item>extraction: the candidate is schema-valid JSON, and agrees when it is JSON-equal to the
/// reference (<see cref="JsonElement.DeepEquals"/>: property order and number spelling do not
/// matter); the score is the share of top-level fields that agree;</item>
/// <item>generation and knowledge: the score is <see cref="TokenF1"/>, and the answer agrees when the
/// score reaches <paramref name="generationAgreement"/>.</item>
/// </list>
/// A candidate that breaks the output rules is <see cref="ShadowScore.Invalid"/>.
/// </summary>
public static class AnswerScorer
{
    /// <summary>Null when the reference itself breaks the rules (nothing to compare with).</summary>
    public static ShadowScore? Score(CatalogTask task, string reference, string candidate, double generationAgreement)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        if (task.Output.Check(reference) is not null)
        {
            return null;
        }

        if (task.Output.Check(candidate) is not null)
        {
            return ShadowScore.Invalid;
        }

        if (task.Output.Labels.Count > 0 || task.Kind == TaskKind.Classification)
        {
            var agreed = string.Equals(NormaliseLabel(reference), NormaliseLabel(candidate), StringComparison.OrdinalIgnoreCase);
            return new ShadowScore(true, agreed, agreed ? 1 : 0);
        }

        if (task.Output.RequiresJson || task.Kind == TaskKind.Extraction)
        {
            return ScoreJson(reference, candidate);
        }

        var score = TokenF1.Score(reference, candidate);
        return new ShadowScore(true, score >= generationAgreement, score);
    }

    /// <summary>Trimmed of white space, quotes and a final full stop; compared case-insensitively.</summary>
    internal static string NormaliseLabel(string label) => label.Trim().Trim('"', '\'', '`').TrimEnd('.').Trim();

    private static ShadowScore ScoreJson(string reference, string candidate)
    {
        JsonDocument expected;
        JsonDocument actual;
        try
        {
            expected = JsonDocument.Parse(reference);
        }
        catch (JsonException)
        {
            // No schema and the reference is not JSON: compare as text.
            var same = string.Equals(reference.Trim(), candidate.Trim(), StringComparison.Ordinal);
            return new ShadowScore(true, same, same ? 1 : 0);
        }

        using (expected)
        {
            try
            {
                actual = JsonDocument.Parse(candidate);
            }
            catch (JsonException)
            {
                return ShadowScore.Invalid;
            }

            using (actual)
            {
                var equal = JsonElement.DeepEquals(expected.RootElement, actual.RootElement);
                return new ShadowScore(true, equal, FieldShare(expected.RootElement, actual.RootElement, equal));
            }
        }
    }

    /// <summary>Top-level fields present in either answer that have the same value in both; whole-answer equality for non-objects.</summary>
    private static double FieldShare(JsonElement expected, JsonElement actual, bool equal)
    {
        if (expected.ValueKind != JsonValueKind.Object || actual.ValueKind != JsonValueKind.Object)
        {
            return equal ? 1 : 0;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in expected.EnumerateObject())
        {
            names.Add(property.Name);
        }

        foreach (var property in actual.EnumerateObject())
        {
            names.Add(property.Name);
        }

        if (names.Count == 0)
        {
            return 1;
        }

        var same = 0;
        foreach (var name in names)
        {
            if (expected.TryGetProperty(name, out var left) && actual.TryGetProperty(name, out var right) && JsonElement.DeepEquals(left, right))
            {
                same++;
            }
        }

        return (double)same / names.Count;
    }
}
