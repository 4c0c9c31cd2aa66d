namespace Router.Emulator.Wire;

/// <summary>One chat message reduced to what counting and generation need: text parts joined.</summary>
public sealed record ChatMessageText(string Role, string Content, string? Name);
