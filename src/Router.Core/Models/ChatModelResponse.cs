namespace Router.Core.Models;

public sealed record ChatModelResponse(string Text, string? FinishReason, TokenUsage Usage, string? ResponseModel);
