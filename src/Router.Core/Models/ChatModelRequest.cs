using Router.Core.Routing;

namespace Router.Core.Models;

public sealed record ChatModelRequest(IReadOnlyList<PromptMessage> Messages, int? MaxOutputTokens, double? Temperature, bool JsonOutput)
{
    public double? TopP { get; init; }
}
