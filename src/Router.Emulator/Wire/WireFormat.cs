namespace Router.Emulator.Wire;

/// <summary>Which URL shape the request came in on.</summary>
public enum WireFormat
{
    /// <summary><c>/openai/deployments/{deployment}/chat/completions</c>.</summary>
    Azure,

    /// <summary><c>/v1/chat/completions</c>, deployment taken from <c>model</c>.</summary>
    OpenAI,
}
