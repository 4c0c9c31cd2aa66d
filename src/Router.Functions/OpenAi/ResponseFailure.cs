namespace Router.Functions.OpenAi;

/// <summary>Why a response failed, in the Responses API's error shape (<c>code</c>, <c>message</c>).</summary>
public sealed record ResponseFailure(string Code, string Message);
