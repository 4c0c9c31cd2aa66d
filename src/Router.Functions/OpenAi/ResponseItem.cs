namespace Router.Functions.OpenAi;

/// <summary>One entry of a Responses <c>output</c> array, as the router produces them.</summary>
public abstract record ResponseItem(string Id, string Status);

/// <summary>The assistant's message; <see cref="Text"/> null while it has no content part yet (a stream's first event for it).</summary>
public sealed record MessageItem(string Id, string Status, string? Text) : ResponseItem(Id, Status);

/// <summary>A function the model called: <see cref="CallId"/> is the model's id, which the caller's function_call_output names.</summary>
public sealed record FunctionCallItem(string Id, string Status, string CallId, string Name, string Arguments) : ResponseItem(Id, Status);
