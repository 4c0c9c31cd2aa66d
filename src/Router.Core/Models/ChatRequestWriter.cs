using System.Buffers;
using System.ClientModel;
using System.Text.Json;
using Router.Core.Routing;

namespace Router.Core.Models;

/// <summary>
/// Writes the chat-completions request body for one model call straight from the flow's
/// <see cref="ChatModelRequest"/> with a <see cref="Utf8JsonWriter"/>: no SDK option and message
/// models built and serialised per call (issue 11: they were the largest share of the SDK's cost),
/// and every property the router forwards written in one place, <c>reasoning_effort</c> included.
/// Property names are pre-encoded once.
/// </summary>
public static class ChatRequestWriter
{
    private static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
    private static readonly JsonEncodedText Messages = JsonEncodedText.Encode("messages");
    private static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
    private static readonly JsonEncodedText Content = JsonEncodedText.Encode("content");
    private static readonly JsonEncodedText ToolCalls = JsonEncodedText.Encode("tool_calls");
    private static readonly JsonEncodedText ToolCallId = JsonEncodedText.Encode("tool_call_id");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText Function = JsonEncodedText.Encode("function");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Arguments = JsonEncodedText.Encode("arguments");
    private static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
    private static readonly JsonEncodedText Parameters = JsonEncodedText.Encode("parameters");
    private static readonly JsonEncodedText Strict = JsonEncodedText.Encode("strict");
    private static readonly JsonEncodedText MaxTokens = JsonEncodedText.Encode("max_tokens");
    private static readonly JsonEncodedText MaxCompletionTokens = JsonEncodedText.Encode("max_completion_tokens");
    private static readonly JsonEncodedText Temperature = JsonEncodedText.Encode("temperature");
    private static readonly JsonEncodedText TopP = JsonEncodedText.Encode("top_p");
    private static readonly JsonEncodedText PresencePenalty = JsonEncodedText.Encode("presence_penalty");
    private static readonly JsonEncodedText FrequencyPenalty = JsonEncodedText.Encode("frequency_penalty");
    private static readonly JsonEncodedText Seed = JsonEncodedText.Encode("seed");
    private static readonly JsonEncodedText User = JsonEncodedText.Encode("user");
    private static readonly JsonEncodedText Stop = JsonEncodedText.Encode("stop");
    private static readonly JsonEncodedText LogitBias = JsonEncodedText.Encode("logit_bias");
    private static readonly JsonEncodedText Tools = JsonEncodedText.Encode("tools");
    private static readonly JsonEncodedText ToolChoiceName = JsonEncodedText.Encode("tool_choice");
    private static readonly JsonEncodedText ParallelToolCalls = JsonEncodedText.Encode("parallel_tool_calls");
    private static readonly JsonEncodedText ResponseFormat = JsonEncodedText.Encode("response_format");
    private static readonly JsonEncodedText JsonSchema = JsonEncodedText.Encode("json_schema");
    private static readonly JsonEncodedText Schema = JsonEncodedText.Encode("schema");
    private static readonly JsonEncodedText ReasoningEffort = JsonEncodedText.Encode("reasoning_effort");
    private static readonly JsonEncodedText Stream = JsonEncodedText.Encode("stream");
    private static readonly JsonEncodedText StreamOptions = JsonEncodedText.Encode("stream_options");
    private static readonly JsonEncodedText IncludeUsage = JsonEncodedText.Encode("include_usage");

    // Relaxed escaping: the body goes to a model API, never into HTML, so quotes and apostrophes need no \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The body as <see cref="BinaryContent"/> for the SDK client's protocol method.</summary>
    public static BinaryContent Create(ChatModelRequest request, ChatWire wire, bool stream)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        Write(buffer, request, wire, stream);
        return BinaryContent.Create(new BinaryData(buffer.WrittenMemory));
    }

    /// <summary>
    /// Streaming calls ask for the usage in the last chunk (<c>stream_options.include_usage</c>),
    /// which is what bills the call.
    /// </summary>
    public static void Write(IBufferWriter<byte> output, ChatModelRequest request, ChatWire wire, bool stream)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(wire);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString(Model, wire.Deployment);
        writer.WritePropertyName(Messages);
        writer.WriteStartArray();
        foreach (var message in request.Messages)
        {
            WriteMessage(writer, message);
        }

        writer.WriteEndArray();

        if (request.MaxOutputTokens is { } max)
        {
            writer.WriteNumber(wire.MaxCompletionTokens ? MaxCompletionTokens : MaxTokens, max);
        }

        if (request.Temperature is { } temperature)
        {
            writer.WriteNumber(Temperature, temperature);
        }

        WriteSampling(writer, request.Sampling, request.Tools.Count > 0);
        WriteFormat(writer, request);
        WriteTools(writer, request);

        if (stream)
        {
            writer.WriteBoolean(Stream, true);
            writer.WritePropertyName(StreamOptions);
            writer.WriteStartObject();
            writer.WriteBoolean(IncludeUsage, true);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, PromptMessage message)
    {
        writer.WriteStartObject();
        switch (message.Role)
        {
            case "assistant" when message.ToolCalls.Count > 0:
                writer.WriteString(Role, "assistant");
                if (!string.IsNullOrEmpty(message.Content))
                {
                    writer.WriteString(Content, message.Content);
                }

                writer.WritePropertyName(ToolCalls);
                writer.WriteStartArray();
                foreach (var call in message.ToolCalls)
                {
                    writer.WriteStartObject();
                    writer.WriteString(Id, call.Id);
                    writer.WriteString(Type, "function");
                    writer.WritePropertyName(Function);
                    writer.WriteStartObject();
                    writer.WriteString(Name, call.Name);
                    writer.WriteString(Arguments, call.Arguments);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                break;
            case "tool":
                writer.WriteString(Role, "tool");
                writer.WriteString(ToolCallId, message.ToolCallId ?? string.Empty);
                writer.WriteString(Content, message.Content);
                break;
            default:
                // A caller's developer message goes up as system, which every deployment takes.
                writer.WriteString(Role, message.Role switch
                {
                    "system" or "developer" => "system",
                    "assistant" => "assistant",
                    _ => "user",
                });
                writer.WriteString(Content, message.Content);
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteSampling(Utf8JsonWriter writer, SamplingOptions sampling, bool hasTools)
    {
        if (sampling.TopP is { } topP)
        {
            writer.WriteNumber(TopP, topP);
        }

        if (sampling.PresencePenalty is { } presence)
        {
            writer.WriteNumber(PresencePenalty, presence);
        }

        if (sampling.FrequencyPenalty is { } frequency)
        {
            writer.WriteNumber(FrequencyPenalty, frequency);
        }

        if (sampling.Seed is { } seed)
        {
            writer.WriteNumber(Seed, seed);
        }

        if (sampling.EndUser is { } user)
        {
            writer.WriteString(User, user);
        }

        if (sampling.Stop.Count > 0)
        {
            writer.WritePropertyName(Stop);
            writer.WriteStartArray();
            foreach (var stop in sampling.Stop)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        if (sampling.LogitBias.Count > 0)
        {
            writer.WritePropertyName(LogitBias);
            writer.WriteStartObject();
            foreach (var (token, bias) in sampling.LogitBias)
            {
                writer.WriteNumber(token.ToString(System.Globalization.CultureInfo.InvariantCulture), bias);
            }

            writer.WriteEndObject();
        }

        // The API refuses parallel_tool_calls without tools, so it goes only beside them.
        if (hasTools && sampling.ParallelToolCalls is { } parallel)
        {
            writer.WriteBoolean(ParallelToolCalls, parallel);
        }

        if (sampling.ReasoningEffort is { } effort)
        {
            writer.WriteString(ReasoningEffort, effort);
        }
    }

    private static void WriteFormat(Utf8JsonWriter writer, ChatModelRequest request)
    {
        if (request.Format is { HasSchema: true } format)
        {
            writer.WritePropertyName(ResponseFormat);
            writer.WriteStartObject();
            writer.WriteString(Type, "json_schema");
            writer.WritePropertyName(JsonSchema);
            writer.WriteStartObject();
            writer.WriteString(Name, format.Name ?? "response");
            if (format.Description is { } description)
            {
                writer.WriteString(Description, description);
            }

            writer.WritePropertyName(Schema);
            writer.WriteRawValue(format.SchemaText!, skipInputValidation: true);
            if (format.Strict is { } strict)
            {
                writer.WriteBoolean(Strict, strict);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        else if (request.Format is not null || request.JsonOutput)
        {
            writer.WritePropertyName(ResponseFormat);
            writer.WriteStartObject();
            writer.WriteString(Type, "json_object");
            writer.WriteEndObject();
        }
    }

    private static void WriteTools(Utf8JsonWriter writer, ChatModelRequest request)
    {
        if (request.Tools.Count == 0)
        {
            return;
        }

        writer.WritePropertyName(Tools);
        writer.WriteStartArray();
        foreach (var tool in request.Tools)
        {
            writer.WriteStartObject();
            writer.WriteString(Type, "function");
            writer.WritePropertyName(Function);
            writer.WriteStartObject();
            writer.WriteString(Name, tool.Name);
            if (tool.Description is { } description)
            {
                writer.WriteString(Description, description);
            }

            if (tool.ParametersJson is { } parameters)
            {
                writer.WritePropertyName(Parameters);
                writer.WriteRawValue(parameters, skipInputValidation: true);
            }

            if (tool.Strict is { } strict)
            {
                writer.WriteBoolean(Strict, strict);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        // As parallel_tool_calls: the API refuses tool_choice without tools.
        if (request.ToolChoice is { } choice)
        {
            writer.WritePropertyName(ToolChoiceName);
            if (choice.Mode == ToolChoice.FunctionMode)
            {
                writer.WriteStartObject();
                writer.WriteString(Type, "function");
                writer.WritePropertyName(Function);
                writer.WriteStartObject();
                writer.WriteString(Name, choice.FunctionName);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStringValue(choice.Mode is ToolChoice.NoneMode or ToolChoice.RequiredMode ? choice.Mode : ToolChoice.AutoMode);
            }
        }
    }
}
