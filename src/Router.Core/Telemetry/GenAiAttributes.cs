namespace Router.Core.Telemetry;

/// <summary>Attribute names and values of the OpenTelemetry GenAI semantic conventions, plus Router's own router.* names.</summary>
public static class GenAiAttributes
{
    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string RequestMaxTokens = "gen_ai.request.max_tokens";
    public const string TokenType = "gen_ai.token.type";
    public const string InputMessages = "gen_ai.input.messages";
    public const string OutputMessages = "gen_ai.output.messages";
    public const string ErrorType = "error.type";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";

    public const string ChatOperation = "chat";
    public const string AzureOpenAIProvider = "azure.ai.openai";
    public const string OpenAIProvider = "openai";
    public const string InputTokenType = "input";
    public const string OutputTokenType = "output";

    public const string Task = "router.task";
    public const string Route = "router.route";
    public const string Fallback = "router.fallback";
    public const string CostUsd = "router.cost_usd";
    public const string Client = "router.client";
    public const string CallId = "router.call_id";
    public const string Api = "router.api";
    public const string Status = "router.status";
}
