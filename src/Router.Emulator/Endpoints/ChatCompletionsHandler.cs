using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Emulator.Auth;
using Router.Emulator.Faults;
using Router.Emulator.Generation;
using Router.Emulator.Latency;
using Router.Emulator.Logging;
using Router.Emulator.Options;
using Router.Emulator.Recording;
using Router.Emulator.Tokens;
using Router.Emulator.Wire;

namespace Router.Emulator.Endpoints;

/// <summary>
/// Serves chat completions for both wire formats: authenticate, parse, record, apply any fault,
/// generate a deterministic answer, wait out the modelled latency, then answer whole or streamed.
/// </summary>
public sealed class ChatCompletionsHandler
{
    private readonly ApiKeyCheck _auth;
    private readonly FaultRegistry _faults;
    private readonly OutputGenerator _generator;
    private readonly TokenCounter _tokens;
    private readonly LatencyModel _latency;
    private readonly RequestLog _requestLog;
    private readonly EmulatorStats _stats;
    private readonly CompletionIds _ids;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeoutDelay;
    private readonly ILogger<ChatCompletionsHandler> _logger;

    public ChatCompletionsHandler(
        ApiKeyCheck auth,
        FaultRegistry faults,
        OutputGenerator generator,
        TokenCounter tokens,
        LatencyModel latency,
        RequestLog requestLog,
        EmulatorStats stats,
        CompletionIds ids,
        TimeProvider time,
        IOptions<EmulatorOptions> options,
        ILogger<ChatCompletionsHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _auth = auth;
        _faults = faults;
        _generator = generator;
        _tokens = tokens;
        _latency = latency;
        _requestLog = requestLog;
        _stats = stats;
        _ids = ids;
        _time = time;
        _timeoutDelay = TimeSpan.FromMilliseconds(options.Value.TimeoutDelayMs);
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context, WireFormat format)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aborted = context.RequestAborted;
        var routeDeployment = format == WireFormat.Azure ? context.Request.RouteValues["deployment"] as string : null;
        try
        {
            await HandleCoreAsync(context, format, routeDeployment, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The caller gave up (its own timeout, or a cancelled stream): nothing left to answer.
            Log.CallerAborted(_logger, routeDeployment ?? "(from body)");
        }
    }

    private async Task HandleCoreAsync(HttpContext context, WireFormat format, string? routeDeployment, CancellationToken aborted)
    {
        var httpRequest = context.Request;
        if (!_auth.IsAuthorized(httpRequest, format))
        {
            Log.Unauthorized(_logger, httpRequest.Path);
            await ErrorResponses.UnauthorizedAsync(context.Response);
            return;
        }

        if (!HeaderFaults.TryRead(httpRequest.Headers, out var headerFault))
        {
            await RejectAsync(context, $"Header {HeaderFaults.FaultHeader} or {HeaderFaults.RetryAfterHeader} is not understood.", null);
            return;
        }

        ChatRequest? request;
        string? error;
        string? errorParam;
        try
        {
            using var document = await JsonDocument.ParseAsync(httpRequest.Body, default, aborted);
            ChatRequestParser.TryParse(document.RootElement, routeDeployment, out request, out error, out errorParam);
        }
        catch (JsonException)
        {
            request = null;
            error = "We could not parse the JSON body of your request.";
            errorParam = null;
        }

        if (request is null)
        {
            await RejectAsync(context, error!, errorParam);
            return;
        }

        Record(httpRequest, request, format);
        var counters = _stats.For(request.Deployment);
        counters.CountRequest();

        var fault = headerFault ?? _faults.TryTake(request.Deployment);
        var malformed = false;
        var offSchema = false;
        if (fault is not null)
        {
            counters.CountFault();
            Log.FaultServed(_logger, fault.Kind, request.Deployment);
            switch (fault.Kind)
            {
                case FaultKind.Down:
                    context.Abort();
                    return;
                case FaultKind.RateLimited:
                    await RateLimitedAsync(context.Response, fault.RetryAfterSeconds);
                    return;
                case FaultKind.ServerError:
                    await ErrorResponses.WriteAsync(
                        context.Response, StatusCodes.Status500InternalServerError,
                        "The server had an error while processing your request.", "server_error", "server_error");
                    return;
                case FaultKind.ServiceUnavailable:
                    await ErrorResponses.WriteAsync(
                        context.Response, StatusCodes.Status503ServiceUnavailable,
                        "The service is temporarily unable to process your request.", "server_error", "service_unavailable");
                    return;
                case FaultKind.Timeout:
                    await Task.Delay(_timeoutDelay, _time, aborted);
                    await ErrorResponses.WriteAsync(
                        context.Response, StatusCodes.Status504GatewayTimeout,
                        "The request timed out.", "server_error", "timeout");
                    return;
                case FaultKind.Delay:
                    await Task.Delay(TimeSpan.FromMilliseconds(fault.DelayMs), _time, aborted);
                    break;
                case FaultKind.Malformed:
                    malformed = true;
                    break;
                case FaultKind.OffSchema:
                    offSchema = true;
                    break;
            }
        }

        var promptTokens = ChatPromptTokens.Count(_tokens, request.Messages) + ToolPromptTokens.Count(_tokens, request.Controls);
        var output = _generator.Generate(request, malformed, offSchema);
        counters.CountTokens(promptTokens, output.CompletionTokens);
        var envelope = new CompletionEnvelope(_ids.Next(), _time.GetUtcNow().ToUnixTimeSeconds(), request.Deployment);
        var latency = _latency.For(request.Deployment);

        if (request.Stream)
        {
            await StreamAsync(context.Response, request, envelope, output, promptTokens, latency, aborted);
            return;
        }

        if (!latency.IsZero)
        {
            await Task.Delay(latency.Total(output.CompletionTokens), _time, aborted);
        }

        var response = context.Response;
        response.ContentType = "application/json";
        ChatCompletionJson.WriteCompletion(
            response.BodyWriter, envelope, output.Content, output.FinishReason, promptTokens, output.CompletionTokens, output.ToolCall);
        await response.BodyWriter.FlushAsync(aborted);
    }

    private async Task StreamAsync(
        HttpResponse response,
        ChatRequest request,
        CompletionEnvelope envelope,
        GeneratedOutput output,
        int promptTokens,
        DeploymentLatency latency,
        CancellationToken aborted)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        if (latency.TimeToFirstToken > TimeSpan.Zero)
        {
            await Task.Delay(latency.TimeToFirstToken, _time, aborted);
        }

        var body = response.BodyWriter;

        // Like the real service: the first chunk names the role with empty content (or the tool call's
        // head), then one chunk per token of content (or of the call's arguments).
        var call = output.ToolCall;
        if (call is null)
        {
            ServerSentEvents.WriteData(body, writer => ChatCompletionJson.WriteContentChunk(writer, envelope, string.Empty, withRole: true));
        }
        else
        {
            ServerSentEvents.WriteData(body, writer => ToolCallJson.WriteHeadChunk(writer, envelope, call));
        }

        await body.FlushAsync(aborted);

        var pieces = _tokens.SplitIntoTokenPieces(call?.Arguments ?? output.Content);
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0 && latency.PerOutputToken > TimeSpan.Zero)
            {
                await Task.Delay(latency.PerOutputToken, _time, aborted);
            }

            var piece = pieces[i];
            if (call is null)
            {
                ServerSentEvents.WriteData(body, writer => ChatCompletionJson.WriteContentChunk(writer, envelope, piece, withRole: false));
            }
            else
            {
                ServerSentEvents.WriteData(body, writer => ToolCallJson.WriteArgumentsChunk(writer, envelope, piece));
            }

            await body.FlushAsync(aborted);
        }

        ServerSentEvents.WriteData(body, writer => ChatCompletionJson.WriteFinishChunk(writer, envelope, output.FinishReason));
        if (request.IncludeUsageInStream)
        {
            ServerSentEvents.WriteData(
                body, writer => ChatCompletionJson.WriteUsageChunk(writer, envelope, promptTokens, output.CompletionTokens));
        }

        ServerSentEvents.WriteDone(body);
        await body.FlushAsync(aborted);
    }

    private static async Task RateLimitedAsync(HttpResponse response, int retryAfterSeconds)
    {
        // Both headers, as Azure OpenAI sends them: the SDK's retry policy prefers retry-after-ms.
        response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["retry-after-ms"] = (retryAfterSeconds * 1000L).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ErrorResponses.WriteAsync(
            response,
            StatusCodes.Status429TooManyRequests,
            $"Rate limit reached for this deployment. Please retry after {retryAfterSeconds} seconds.",
            "requests",
            "rate_limit_exceeded");
    }

    private async Task RejectAsync(HttpContext context, string message, string? param)
    {
        Log.BadRequest(_logger, context.Request.Path, message);
        await ErrorResponses.BadRequestAsync(context.Response, message, param);
    }

    private void Record(HttpRequest httpRequest, ChatRequest request, WireFormat format)
    {
        var headers = httpRequest.Headers;
        var clientRequestId = headers["x-ms-client-request-id"].ToString();
        if (clientRequestId.Length == 0)
        {
            clientRequestId = headers["x-client-request-id"].ToString();
        }

        var apiVersion = httpRequest.Query["api-version"].ToString();
        _requestLog.Add(new RecordedRequest(
            request.Deployment,
            format == WireFormat.Azure ? "azure" : "openai",
            request.RawMessages,
            request.Stream,
            request.MaxOutputTokens,
            _time.GetUtcNow(),
            clientRequestId.Length == 0 ? null : clientRequestId,
            apiVersion.Length == 0 ? null : apiVersion,
            request.RawParameters));
    }
}
