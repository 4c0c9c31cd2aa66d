namespace Router.Core.Ledger;

/// <summary>Wire values of <see cref="CallRecord.Status"/>.</summary>
public static class CallStatus
{
    public const string Ok = "ok";

    /// <summary>A small-model answer that broke the output rules or failed; the large model was asked next.</summary>
    public const string Escalated = "escalated";

    /// <summary>The model failed, or did not answer within the router's deadline (HttpStatus 504, error names the deadline).</summary>
    public const string UpstreamError = "upstream-error";

    public const string ClientAborted = "client-aborted";

    /// <summary>A call made after the caller's answer, to compare a candidate model; never the caller's spend.</summary>
    public const string Shadow = "shadow";
}
