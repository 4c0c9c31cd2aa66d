using System.Net;
using System.Text.Json;
using Json.Schema;
using OpenAI.Chat;

namespace Router.Emulator.Tests;

public sealed class StructuredOutputTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "title": { "type": "string", "maxLength": 12 },
            "sentiment": { "type": "string", "enum": ["positive", "negative"] },
            "score": { "type": "number", "minimum": 5, "maximum": 9 },
            "tags": { "type": "array", "items": { "type": "string" }, "minItems": 2 },
            "author": { "$ref": "#/$defs/person" },
            "reviewed": { "type": ["boolean", "null"] }
          },
          "required": ["title", "sentiment", "score", "tags", "author", "reviewed"],
          "additionalProperties": false,
          "$defs": {
            "person": {
              "type": "object",
              "properties": { "name": { "type": "string", "minLength": 1 }, "age": { "type": "integer", "exclusiveMinimum": 17 } },
              "required": ["name", "age"],
              "additionalProperties": false
            }
          }
        }
        """;

    private RunningEmulator Emulator => fixture.Emulator;

    private static ChatCompletionOptions SchemaOptions => new()
    {
        ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("review", BinaryData.FromString(Schema), jsonSchemaIsStrict: true),
    };

    [Fact]
    public async Task CompleteChat_JsonSchemaFormat_AnswerValidatesAgainstTheSchema()
    {
        ChatCompletion completion = await Emulator.AzureChat("gpt-4o-schema").CompleteChatAsync(
            [new UserChatMessage("The quarterly report reads well overall")], SchemaOptions);

        var text = completion.Content[0].Text;
        using var answer = JsonDocument.Parse(text);
        var result = JsonSchema.FromText(Schema).Evaluate(answer.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, text);
        Assert.Equal("The quarterly report reads well overall"[..12], answer.RootElement.GetProperty("title").GetString());
        Assert.Equal(2, answer.RootElement.GetProperty("tags").GetArrayLength());
        Assert.Equal(18, answer.RootElement.GetProperty("author").GetProperty("age").GetInt32());
        Assert.Equal(IndependentTokenCount.Text(text), completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task CompleteChat_OffSchemaFault_AnswersJsonThatBreaksTheSchema()
    {
        await Emulator.SetFaultAsync("gpt-4o-schema-fault", new { kind = "off-schema", count = 1 });
        ChatMessage[] messages = [new UserChatMessage("The quarterly report reads well overall")];

        ChatCompletion broken = await Emulator.AzureChat("gpt-4o-schema-fault").CompleteChatAsync(messages, SchemaOptions);
        ChatCompletion fixedAgain = await Emulator.AzureChat("gpt-4o-schema-fault").CompleteChatAsync(messages, SchemaOptions);

        using var brokenJson = JsonDocument.Parse(broken.Content[0].Text);
        Assert.Equal("The quarterly report reads well overall", brokenJson.RootElement.GetProperty("summary").GetString());
        Assert.False(JsonSchema.FromText(Schema).Evaluate(brokenJson.RootElement).IsValid);
        using var fixedJson = JsonDocument.Parse(fixedAgain.Content[0].Text);
        Assert.True(JsonSchema.FromText(Schema).Evaluate(fixedJson.RootElement).IsValid);
    }

    [Fact]
    public async Task Post_JsonSchemaTypeWithoutSchemaObject_Returns400NamingIt()
    {
        using var response = await Emulator.PostAzureAsync(
            "gpt-4o-schema-bad", """{"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("response_format.json_schema", body.RootElement.GetProperty("error").GetProperty("param").GetString());
    }
}
