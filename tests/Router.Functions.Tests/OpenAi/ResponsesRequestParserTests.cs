using System.Text.Json;
using Router.Functions.OpenAi;

namespace Router.Functions.Tests.OpenAi;

/// <summary>What a Responses body becomes (the caller's messages, the echoed parameters) and what is refused, naming the parameter.</summary>
public sealed class ResponsesRequestParserTests
{
    [Fact]
    public void Parse_StringInput_IsOneUserMessage()
    {
        var request = Parsed("""{"model":"summarize","input":"Summarize this."}""");

        var message = Assert.Single(request.Messages);
        Assert.Equal(("user", "Summarize this."), (message.Role, message.Content));
        Assert.False(request.Stream);
    }

    [Fact]
    public void Parse_InstructionsAndMessageItems_InstructionsComeFirstAsCallerSystemAndPartsJoinWithNewline()
    {
        var request = Parsed("""
            {"model":"summarize","instructions":"Answer in French.","store":false,"metadata":{"team":"search"},
             "max_output_tokens":64,"temperature":0.5,"top_p":0.8,
             "input":[
               {"role":"developer","content":"Be brief."},
               {"type":"message","role":"user","content":[{"type":"input_text","text":"first"},{"type":"input_text","text":"second"}]},
               {"id":"msg_1","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"ok","annotations":[]}]},
               {"role":"user","content":"third"}]}
            """);

        Assert.Equal(
            [("system", "Answer in French."), ("developer", "Be brief."), ("user", "first\nsecond"), ("assistant", "ok"), ("user", "third")],
            request.Messages.Select(m => (m.Role, m.Content)));
        Assert.Equal("Answer in French.", request.Instructions);
        Assert.Equal(64, request.MaxOutputTokens);
        Assert.Equal(0.5, request.Temperature);
        Assert.Equal(0.8, request.TopP);
        Assert.Equal("search", request.Metadata!["team"]);
    }

    [Theory]
    [InlineData("""{"model":"summarize","input":"x","previous_response_id":"resp_1"}""", "previous_response_id")]
    [InlineData("""{"model":"summarize","input":"x","conversation":"conv_1"}""", "conversation")]
    [InlineData("""{"model":"summarize","input":"x","store":true}""", "store")]
    [InlineData("""{"model":"summarize","input":"x","background":true}""", "background")]
    [InlineData("""{"model":"summarize","input":"x","prompt":{"id":"pmpt_1"}}""", "prompt")]
    [InlineData("""{"model":"summarize","input":"x","tools":[{"type":"web_search"}]}""", "tools[0].type")]
    [InlineData("""{"model":"summarize","input":"x","tools":[{"type":"file_search","vector_store_ids":["vs_1"]}]}""", "tools[0].type")]
    [InlineData("""{"model":"summarize","input":[{"type":"item_reference","id":"msg_1"},{"role":"user","content":"x"}]}""", "input[0]")]
    public void Parse_StatefulOrBuiltInFeature_IsRefusedNamingTheParameter(string body, string param)
    {
        var error = Refused(body);

        Assert.Equal(400, error.Status);
        Assert.Equal(param, error.Param);
        Assert.Equal("unsupported_parameter", error.Code);
    }

    [Theory]
    [InlineData("""{"input":"x"}""", "model")]
    [InlineData("""{"model":"summarize"}""", "input")]
    [InlineData("""{"model":"summarize","input":[]}""", "input")]
    [InlineData("""{"model":"summarize","input":[{"role":"assistant","content":"only me"}]}""", "input")]
    [InlineData("""{"model":"summarize","input":[{"role":"tool","content":"x"}]}""", "input[0].role")]
    [InlineData("""{"model":"summarize","input":[{"role":"user","content":[{"type":"input_image","image_url":"http://x"}]}]}""", "input[0].content[0].type")]
    [InlineData("""{"model":"summarize","input":[{"role":"user","content":[{"type":"output_text","text":"x"}]}]}""", "input[0].content[0].type")]
    [InlineData("""{"model":"summarize","input":"x","max_output_tokens":0}""", "max_output_tokens")]
    [InlineData("""{"model":"summarize","input":"x","top_p":1.5}""", "top_p")]
    [InlineData("""{"model":"summarize","input":"x","temperature":"hot"}""", "temperature")]
    [InlineData("""{"model":"summarize","input":"x","metadata":{"team":5}}""", "metadata.team")]
    [InlineData("""{"model":"summarize","input":"x","stream_options":{"include_obfuscation":false}}""", "stream_options")]
    [InlineData("""{"model":"summarize","input":"x","include":["reasoning.encrypted_content"]}""", "include[0]")]
    [InlineData("""{"model":"summarize","input":"x","top_logprobs":2}""", "top_logprobs")]
    [InlineData("""{"model":"summarize","input":"x","n":2}""", "n")]
    public void Parse_BadOrUnsupportedValue_IsRefusedNamingIt(string body, string param)
    {
        var error = Refused(body);

        Assert.Equal(400, error.Status);
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void Parse_FunctionToolRoundTrip_BecomesToolsAnAssistantToolCallTurnAndToolMessages()
    {
        var request = Parsed("""
            {"model":"summarize","tool_choice":{"type":"function","name":"get_weather"},"parallel_tool_calls":false,
             "tools":[{"type":"function","name":"get_weather","description":"Weather now","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}],
             "input":[
               {"role":"user","content":"Weather in Paris and Rome?"},
               {"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}","status":"completed"},
               {"type":"function_call","id":"fc_2","call_id":"call_2","name":"get_weather","arguments":"{\"city\":\"Rome\"}","status":"completed"},
               {"type":"function_call_output","call_id":"call_1","output":"18C"},
               {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"21C"}]}]}
            """);

        var tool = Assert.Single(request.Tools);
        Assert.Equal(("get_weather", "Weather now", true), (tool.Name, tool.Description, tool.Strict));
        Assert.Equal(Router.Core.Routing.ToolChoice.Function("get_weather"), request.ToolChoice);
        Assert.False(request.ParallelToolCalls);
        Assert.Equal(["user", "assistant", "tool", "tool"], request.Messages.Select(m => m.Role));
        Assert.Equal(["call_1", "call_2"], request.Messages[1].ToolCalls.Select(c => c.Id));
        Assert.Equal(("call_2", "21C"), (request.Messages[3].ToolCallId, request.Messages[3].Content));
    }

    [Theory]
    [InlineData("""{"type":"json_object"}""", false)]
    [InlineData("""{"type":"json_schema","name":"invoice","schema":{"type":"object","properties":{"total":{"type":"number"}}},"strict":true}""", true)]
    public void Parse_TextFormatJson_BecomesTheCallersFormat(string format, bool schema)
    {
        var request = Parsed("""{"model":"invoice-extract","input":"x","text":{"format":""" + format + "}}");

        Assert.NotNull(request.Format);
        Assert.Equal(schema, request.Format.HasSchema);
    }

    [Theory]
    [InlineData("""{"model":"summarize","input":"x","text":{"format":{"type":"json_schema","name":"a","schema":{"type":"no-such-type"}}}}""", "text.format.schema")]
    [InlineData("""{"model":"summarize","input":"x","text":{"format":{"type":"json_schema","schema":{"type":"object"}}}}""", "text.format.name")]
    [InlineData("""{"model":"summarize","input":"x","text":{"format":{"type":"grammar"}}}""", "text.format.type")]
    [InlineData("""{"model":"summarize","input":"x","tools":[{"type":"function"}]}""", "tools[0].name")]
    [InlineData("""{"model":"summarize","input":"x","tools":[{"type":"function","name":"f","parameters":{"type":7},"strict":true}]}""", "tools[0].parameters")]
    [InlineData("""{"model":"summarize","input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"g"}}""", "tool_choice.name")]
    [InlineData("""{"model":"summarize","input":"x","tool_choice":"required"}""", "tool_choice")]
    [InlineData("""{"model":"summarize","input":[{"role":"user","content":"x"},{"type":"function_call_output","output":"1"}]}""", "input[1].call_id")]
    [InlineData("""{"model":"summarize","input":[{"role":"user","content":"x"},{"type":"function_call","call_id":"c","name":"f"}]}""", "input[1].arguments")]
    [InlineData("""{"model":"summarize","input":[{"role":"user","content":"x"},{"type":"function_call_output","call_id":"call_9","output":"18C"}]}""", "input")]
    public void Parse_BadToolOrFormat_IsRefusedNamingIt(string body, string param)
    {
        Assert.Equal(param, Refused(body).Param);
    }

    [Fact]
    public void Parse_MetadataOverSixteenPairs_IsRefused()
    {
        var pairs = string.Join(",", Enumerable.Range(0, 17).Select(i => $"\"k{i}\":\"v\""));

        Assert.Equal("metadata", Refused("""{"model":"summarize","input":"x","metadata":{""" + pairs + "}}").Param);
    }

    [Fact]
    public void Parse_HarmlessDefaultsFrameworksSend_AreAccepted()
    {
        var request = Parsed("""
            {"model":"summarize","input":"x","store":false,"background":false,"previous_response_id":null,"tools":[],"tool_choice":"auto",
             "parallel_tool_calls":true,"text":{"format":{"type":"text"}},"truncation":"disabled","include":[],"user":"u-1",
             "service_tier":"auto","stream":true,"stream_options":{"include_obfuscation":false},"reasoning":null}
            """);

        Assert.True(request.Stream);
    }

    private static ResponsesRequest Parsed(string json)
    {
        using var document = JsonDocument.Parse(json);
        var (request, error) = ResponsesRequestParser.Parse(document.RootElement);
        Assert.Null(error);
        return request!;
    }

    private static Router.Functions.Http.RequestError Refused(string json)
    {
        using var document = JsonDocument.Parse(json);
        var (request, error) = ResponsesRequestParser.Parse(document.RootElement);
        Assert.Null(request);
        return error!;
    }
}
