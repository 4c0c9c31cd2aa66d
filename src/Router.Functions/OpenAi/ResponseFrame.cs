namespace Router.Functions.OpenAi;

/// <summary>
/// What every response object of one call shares: its id (<c>resp_{callId}</c>), when it was
/// created and completed, the model the caller named (the task) and what the caller asked.
/// </summary>
public sealed record ResponseFrame(string Id, long CreatedAt, string Model, ResponsesRequest Request, int? MaxOutputTokens)
{
    public long? CompletedAt { get; init; }

    public static string ResponseId(string callId) => "resp_" + callId;

    public static string MessageId(string callId) => "msg_" + callId;
}
