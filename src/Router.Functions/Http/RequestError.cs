namespace Router.Functions.Http;

/// <summary>Something wrong with the caller's request: its status and a message that names the problem.</summary>
public sealed record RequestError(int Status, string Message, string? Param = null, string Code = "invalid_request", TimeSpan? RetryAfter = null);
