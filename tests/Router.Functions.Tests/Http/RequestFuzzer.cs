using System.Text;
using System.Text.Json.Nodes;

namespace Router.Functions.Tests.Http;

/// <summary>
/// Deterministic request bodies for fuzzing: valid seeds for each API, then structural
/// mutations (missing, mistyped, extra and out-of-range fields) and byte-level ones
/// (flips, truncation, invalid UTF-8, garbage, deep nesting, oversize). Body i depends
/// only on the seed and i, so a failure can be replayed.
/// </summary>
internal static class RequestFuzzer
{
    private static readonly string[] Tasks = ["ticket-triage", "summarize", "contract-qa", "invoice-extract", "no-such-task", "", "SUMMARIZE", "summarize\u0000"];
    private static readonly string[] Roles = ["user", "system", "assistant", "developer", "tool", "function", "", "USER", "robot"];
    private static readonly string[] ChatParams = ["n", "tools", "functions", "logprobs", "top_logprobs", "response_format", "seed", "stop", "top_p", "tool_choice", "stream_options", "max_tokens", "max_completion_tokens", "temperature", "user", "stream"];
    private static readonly string[] NativeParams = ["task", "input", "context", "maxOutputTokens", "temperature", "maxTokens", "extra"];
    private static readonly string[] ResponsesParams =
    [
        "input", "instructions", "previous_response_id", "store", "background", "conversation", "tools", "tool_choice", "text", "metadata",
        "max_output_tokens", "temperature", "top_p", "stream", "stream_options", "include", "truncation", "reasoning", "prompt", "user",
    ];

    public static (byte[] Body, string ContentType) Native(int seed, int index, int maxBytes) => Mutate(new Random(unchecked((seed * 31) + (index * 2))), NativeSeed, NativeParams, maxBytes);

    public static (byte[] Body, string ContentType) Chat(int seed, int index, int maxBytes) => Mutate(new Random(unchecked((seed * 31) + (index * 2) + 1)), ChatSeed, ChatParams, maxBytes);

    public static (byte[] Body, string ContentType) Responses(int seed, int index, int maxBytes) => Mutate(new Random(unchecked((seed * 37) + (index * 2) + 1)), ResponsesSeed, ResponsesParams, maxBytes);

    private static JsonObject NativeSeed(Random random)
    {
        var body = new JsonObject { ["task"] = Pick(random, Tasks[..4]), ["input"] = Words(random, random.Next(1, 30)) };
        if (random.Next(3) == 0)
        {
            body["context"] = Words(random, random.Next(1, 40));
        }

        if (random.Next(3) == 0)
        {
            body["maxOutputTokens"] = random.Next(1, 50);
        }

        return body;
    }

    private static JsonObject ChatSeed(Random random)
    {
        var messages = new JsonArray();
        if (random.Next(3) == 0)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = Words(random, 5) });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = Words(random, random.Next(1, 30)) });
        var body = new JsonObject { ["model"] = Pick(random, Tasks[..4]), ["messages"] = messages };
        if (random.Next(3) == 0)
        {
            body["stream"] = true;
            if (random.Next(2) == 0)
            {
                body["stream_options"] = new JsonObject { ["include_usage"] = true };
            }
        }

        if (random.Next(3) == 0)
        {
            body["max_tokens"] = random.Next(1, 50);
        }

        // Tools as bindTools sends them, sometimes with a tool-call round trip in the history.
        if (random.Next(4) == 0)
        {
            body["tools"] = new JsonArray(new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = "get_weather", ["parameters"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["city"] = new JsonObject { ["type"] = "string" } } } },
            });
            body["tool_choice"] = Pick(random, ["auto", "required", "none"]);
            if (random.Next(2) == 0)
            {
                messages.Add(new JsonObject
                {
                    ["role"] = "assistant",
                    ["content"] = null,
                    ["tool_calls"] = new JsonArray(new JsonObject { ["id"] = "call_1", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "get_weather", ["arguments"] = "{\"city\":\"Oslo\"}" } }),
                });
                messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = "call_1", ["content"] = Words(random, 3) });
            }
        }

        // Structured outputs as withStructuredOutput sends them (not on the labels task, which refuses them).
        if (random.Next(5) == 0 && body["model"]!.GetValue<string>() != "ticket-triage")
        {
            body["response_format"] = random.Next(2) == 0
                ? new JsonObject { ["type"] = "json_object" }
                : new JsonObject { ["type"] = "json_schema", ["json_schema"] = new JsonObject { ["name"] = "digest", ["strict"] = true, ["schema"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["headline"] = new JsonObject { ["type"] = "string" } } } } };
        }

        if (random.Next(5) == 0)
        {
            body["metadata"] = new JsonObject { ["team"] = Words(random, 1) };
        }

        return body;
    }

    private static JsonObject ResponsesSeed(Random random)
    {
        var body = new JsonObject { ["model"] = Pick(random, Tasks[..4]) };
        if (random.Next(2) == 0)
        {
            body["input"] = Words(random, random.Next(1, 30));
        }
        else
        {
            var items = new JsonArray();
            if (random.Next(3) == 0)
            {
                items.Add(new JsonObject { ["role"] = "developer", ["content"] = Words(random, 5) });
            }

            var parts = new JsonArray(new JsonObject { ["type"] = "input_text", ["text"] = Words(random, random.Next(1, 20)) });
            items.Add(new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = random.Next(2) == 0 ? parts : Words(random, random.Next(1, 20)) });
            body["input"] = items;
        }

        if (random.Next(3) == 0)
        {
            body["instructions"] = Words(random, 6);
        }

        if (random.Next(3) == 0)
        {
            body["stream"] = true;
        }

        if (random.Next(3) == 0)
        {
            body["max_output_tokens"] = random.Next(1, 50);
        }

        if (random.Next(4) == 0)
        {
            body["store"] = false;
            body["metadata"] = new JsonObject { ["team"] = Words(random, 1) };
        }

        if (random.Next(4) == 0)
        {
            body["tools"] = new JsonArray(new JsonObject { ["type"] = "function", ["name"] = "get_weather", ["parameters"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["city"] = new JsonObject { ["type"] = "string" } } } });
            if (random.Next(2) == 0 && body["input"] is JsonArray history)
            {
                history.Add(new JsonObject { ["type"] = "function_call", ["call_id"] = "call_1", ["name"] = "get_weather", ["arguments"] = "{\"city\":\"Oslo\"}" });
                history.Add(new JsonObject { ["type"] = "function_call_output", ["call_id"] = "call_1", ["output"] = Words(random, 3) });
            }
        }

        if (random.Next(5) == 0 && body["model"]!.GetValue<string>() != "ticket-triage")
        {
            body["text"] = new JsonObject { ["format"] = random.Next(2) == 0 ? new JsonObject { ["type"] = "json_object" } : new JsonObject { ["type"] = "json_schema", ["name"] = "digest", ["schema"] = new JsonObject { ["type"] = "object" } } };
        }

        return body;
    }

    private static (byte[] Body, string ContentType) Mutate(Random random, Func<Random, JsonObject> seed, string[] parameters, int maxBytes)
    {
        var contentType = random.Next(40) == 0 ? Pick(random, ["text/plain", "application/xml", "multipart/form-data"]) : "application/json";
        var body = seed(random);
        var kind = random.Next(12);
        switch (kind)
        {
            case 0:
                return (Encoding.UTF8.GetBytes(body.ToJsonString()), contentType); // valid (or nearly: content type)
            case 1 or 2 or 3:
                MutateStructure(random, body, parameters);
                return (Encoding.UTF8.GetBytes(body.ToJsonString()), contentType);
            case 4:
                MutateStructure(random, body, parameters);
                MutateStructure(random, body, parameters);
                MutateStructure(random, body, parameters);
                return (Encoding.UTF8.GetBytes(body.ToJsonString()), contentType);
            case 5:
                var text = Encoding.UTF8.GetBytes(body.ToJsonString());
                return (text[..random.Next(text.Length)], contentType);
            case 6:
                var flipped = Encoding.UTF8.GetBytes(body.ToJsonString());
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                }

                return (flipped, contentType);
            case 7:
                var utf8 = Encoding.UTF8.GetBytes(body.ToJsonString()).ToList();
                var at = Math.Max(0, utf8.LastIndexOf((byte)'"') - 1);
                utf8.InsertRange(at, Pick<byte[]>(random, [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xE2, 0x82]]));
                return ([.. utf8], contentType);
            case 8:
                var depth = random.Next(60, 200);
                return (Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)), contentType);
            case 9:
                var garbage = new byte[random.Next(0, 64)];
                random.NextBytes(garbage);
                return (garbage, contentType);
            case 10:
                return (Encoding.UTF8.GetBytes(Pick(random, ["", "null", "[]", "42", "\"text\"", "{", "{}", "true", "{\"a\":}", "{\"model\":\"summarize\",\"messages\":[]}"])), contentType);
            default:
                // Oversize: a valid body with an input longer than the limit allows.
                var huge = seed(random);
                huge[huge.ContainsKey("input") ? "input" : "model"] = new string('x', maxBytes + random.Next(1, 1024));
                return (Encoding.UTF8.GetBytes(huge.ToJsonString()), contentType);
        }
    }

    private static void MutateStructure(Random random, JsonObject body, string[] parameters)
    {
        var keys = body.Select(p => p.Key).ToList();
        switch (random.Next(7))
        {
            case 0 when keys.Count > 0:
                body.Remove(Pick(random, keys.ToArray()));
                break;
            case 1 when keys.Count > 0:
                body[Pick(random, keys.ToArray())] = RandomValue(random);
                break;
            case 2:
                body[Pick(random, parameters)] = RandomValue(random);
                break;
            case 3 when (body["messages"] ?? body["input"]) is JsonArray messages && messages.Count > 0:
                var message = messages[random.Next(messages.Count)];
                if (message is JsonObject m)
                {
                    switch (random.Next(4))
                    {
                        case 0: m["role"] = Pick(random, Roles); break;
                        case 1: m["content"] = RandomValue(random); break;
                        case 2: m.Remove(random.Next(2) == 0 ? "role" : "content"); break;
                        default: m[Pick(random, ["name", "tool_calls", "audio", "weird", "type", "id", "status"])] = RandomValue(random); break;
                    }
                }
                else
                {
                    messages[random.Next(messages.Count)] = RandomValue(random);
                }

                break;
            case 4 when (body["messages"] ?? body["input"]) is JsonArray list:
                list.Add(RandomValue(random));
                break;
            case 5:
                body[keys.Count > 0 ? Pick(random, keys.ToArray()) : "model"] = Pick(random, Tasks);
                break;
            default:
                body[body.ContainsKey("input") && !body.ContainsKey("task") ? "input" : "messages"] = new JsonArray();
                break;
        }
    }

    private static JsonNode? RandomValue(Random random) => random.Next(14) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(-5, 5)),
        2 => JsonValue.Create(random.NextDouble() * 10 - 3),
        3 => JsonValue.Create(int.MaxValue),
        4 => JsonValue.Create(random.Next(2) == 0),
        5 => JsonValue.Create(Words(random, random.Next(0, 5))),
        6 => JsonValue.Create(string.Empty),
        7 => new JsonArray(),
        8 => new JsonObject(),
        9 => new JsonArray(new JsonObject { ["type"] = Pick(random, ["text", "image_url", "input_audio", "input_text", "output_text", "web_search", "function", "item_reference"]), ["text"] = Words(random, 3) }),
        10 => new JsonObject { ["role"] = Pick(random, Roles), ["content"] = Words(random, 3) },
        11 => JsonValue.Create(1e300),
        12 => new JsonObject { ["include_usage"] = JsonValue.Create(random.Next(2) == 0 ? "yes" : "true") },
        _ => JsonValue.Create("\u0000\uFFFD\uD83D\uDE00 " + Words(random, 2)),
    };

    private static string Words(Random random, int count)
    {
        string[] words = ["billing", "refund", "crash", "invoice", "total", "EUR", "notice", "contract", "please", "dark", "mode", "the", "a", "42", "ünïcödé", "😀"];
        return string.Join(' ', Enumerable.Range(0, count).Select(_ => words[random.Next(words.Length)]));
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
