namespace Router.Functions.Tests.OpenAi;

/// <summary>Reads the data fields of a server-sent events response (comments and blank lines skipped).</summary>
internal static class SseEvents
{
    public static async Task<List<string>> ReadAllAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var events = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(line["data: ".Length..]);
            }
        }

        return events;
    }
}
