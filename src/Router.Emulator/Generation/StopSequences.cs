namespace Router.Emulator.Generation;

/// <summary>Ends the answer before the earliest stop sequence, as the service does (the sequence itself is not returned).</summary>
public static class StopSequences
{
    public static string Apply(string content, IReadOnlyList<string> stop)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(stop);
        var end = content.Length;
        foreach (var sequence in stop)
        {
            var index = content.IndexOf(sequence, StringComparison.Ordinal);
            if (index >= 0 && index < end)
            {
                end = index;
            }
        }

        return end == content.Length ? content : content[..end];
    }
}
