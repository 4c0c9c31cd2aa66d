using System.Globalization;

namespace Router.Emulator.Generation;

/// <summary>
/// What a seed changes: the words an answer is built from start at word <c>seed mod n</c> of the
/// input (wrapping round), and a hashed label pick mixes the seed in. Same seed, same answer;
/// another seed, most likely another answer; no seed, the unseeded answer.
/// </summary>
public static class SeededText
{
    public static string Rotate(string text, long? seed)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (seed is not { } value)
        {
            return text;
        }

        var words = text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2)
        {
            return text;
        }

        var start = (int)(((value % words.Length) + words.Length) % words.Length);
        return string.Join(' ', words[start..].Concat(words[..start]));
    }

    public static string HashInput(string text, long? seed) =>
        seed is { } value ? text + "\nseed:" + value.ToString(CultureInfo.InvariantCulture) : text;
}
