namespace Router.Functions.OpenAi;

/// <summary>
/// What a caller message looks like in one OpenAI API, for <see cref="MessageItemReader"/>: its roles,
/// the content part types each role may send (and the fields of each), the properties that are
/// accepted and ignored, and whether the chat tool fields (<c>tool_calls</c>, <c>tool_call_id</c>) exist.
/// </summary>
public sealed class MessageDialect
{
    private readonly Func<string, string, (string Field, string[] Allowed)?> _part;
    private readonly Func<string, string> _partsFor;

    private MessageDialect(string noun, string fields, IReadOnlyList<string> roles, IReadOnlySet<string> ignored, IReadOnlySet<string> refused, bool toolFields, string partsText, Func<string, string, (string, string[])?> part, Func<string, string> partsFor)
    {
        Noun = noun;
        Fields = fields;
        Roles = roles;
        Ignored = ignored;
        Refused = refused;
        ToolFields = toolFields;
        PartsText = partsText;
        _part = part;
        _partsFor = partsFor;
    }

    /// <summary>
    /// Chat completions: roles system, developer, user, assistant (with <c>tool_calls</c>) and tool
    /// (with <c>tool_call_id</c>); <c>text</c> parts (and an assistant's <c>refusal</c> parts); <c>name</c> ignored;
    /// the deprecated <c>function_call</c>, <c>audio</c> and a non-null <c>refusal</c> refused.
    /// </summary>
    public static MessageDialect Chat { get; } = new(
        "a message",
        "'role', 'content', 'name', and 'tool_calls' (assistant) or 'tool_call_id' (tool)",
        ["system", "developer", "user", "assistant", "tool"],
        new HashSet<string>(StringComparer.Ordinal) { "name" },
        new HashSet<string>(StringComparer.Ordinal) { "function_call", "audio", "refusal" },
        toolFields: true,
        "text parts",
        (role, kind) => (role, kind) switch
        {
            (_, "text") => ("text", ["type", "text"]),
            ("assistant", "refusal") => ("refusal", ["type", "refusal"]),
            _ => null,
        },
        role => role == "assistant" ? "text and refusal parts" : "text parts");

    /// <summary>
    /// Responses message items: roles user, system, developer, assistant; <c>input_text</c> parts, or an
    /// assistant's <c>output_text</c> / <c>refusal</c> when a client sends back output it got; <c>type</c>,
    /// <c>id</c>, <c>status</c>, <c>phase</c> ignored. Function calls and their outputs are items of their own.
    /// </summary>
    public static MessageDialect Responses { get; } = new(
        "a message item",
        "'type', 'role' and 'content'",
        ["user", "system", "developer", "assistant"],
        new HashSet<string>(StringComparer.Ordinal) { "type", "id", "status", "phase" },
        new HashSet<string>(StringComparer.Ordinal),
        toolFields: false,
        "content parts",
        (role, kind) => (role, kind) switch
        {
            ("assistant", "output_text") => ("text", ["type", "text", "annotations", "logprobs"]),
            ("assistant", "refusal") => ("refusal", ["type", "refusal"]),
            (not "assistant", "input_text") => ("text", ["type", "text"]),
            _ => null,
        },
        role => role == "assistant" ? "output_text and refusal parts" : "input_text parts");

    /// <summary>"a message" / "a message item", for error messages.</summary>
    public string Noun { get; }

    /// <summary>The fields a message has, for the unknown-property message.</summary>
    public string Fields { get; }

    public IReadOnlyList<string> Roles { get; }

    /// <summary>Accepted as a string (or null) and ignored.</summary>
    public IReadOnlySet<string> Ignored { get; }

    /// <summary>Refused unless null, naming them.</summary>
    public IReadOnlySet<string> Refused { get; }

    /// <summary>Chat's assistant <c>tool_calls</c> and tool <c>tool_call_id</c>.</summary>
    public bool ToolFields { get; }

    /// <summary>"text parts" / "content parts", for error messages.</summary>
    public string PartsText { get; }

    /// <summary>The field holding a part's text and the fields it may have; null when the role may not send that part type.</summary>
    public (string Field, string[] Allowed)? Part(string role, string kind) => _part(role, kind);

    /// <summary>The part types a role may send, for the error message.</summary>
    public string PartsFor(string role) => _partsFor(role);
}
