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

    /// <summary>The output item id of the model's n-th tool call (the call's own id, call_id, is the model's).</summary>
    public static string FunctionCallId(string callId, int index) => "fc_" + callId + "_" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
