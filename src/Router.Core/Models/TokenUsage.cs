namespace Router.Core.Models;

/// <summary>Tokens billed by the model for one call. Input includes CachedInput.</summary>
public readonly record struct TokenUsage(int Input, int CachedInput, int Output)
{
    public int Total => Input + Output;
}
