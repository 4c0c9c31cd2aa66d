using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Router.Core.Catalog;

namespace Router.Core.Classifier;

/// <summary>
/// A trained version's name: the first 16 hex digits of SHA-256 over the samples (input hash and label,
/// in input-hash order), the labels, the settings and the trainer. The same samples trained the same way
/// give the same version, so a blob that exists already is the same model and is never overwritten.
/// </summary>
public static class ClassifierVersion
{
    public static string Compute(IEnumerable<(string InputHash, string Label)> samples, IReadOnlyList<string> labels, ClassifierSettings settings, string trainer)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(settings);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text.Length.ToString(CultureInfo.InvariantCulture) + ":" + text + "\n"));
        Add(trainer);
        Add(string.Join(',', labels));
        Add(string.Create(CultureInfo.InvariantCulture, $"{settings.HoldOutFraction:R}|{settings.Seed}"));
        foreach (var (inputHash, label) in samples.OrderBy(s => s.InputHash, StringComparer.Ordinal))
        {
            Add(inputHash);
            Add(label);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
