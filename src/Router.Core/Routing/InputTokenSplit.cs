namespace Router.Core.Routing;

/// <summary>
/// The billed input tokens of one call, split into the prompt tax (system, examples,
/// context) and the caller's own input. The total always equals what the model billed;
/// the split comes from local counts of the fixed parts, and the caller's share absorbs
/// the per-message framing tokens.
/// </summary>
public readonly record struct InputTokenSplit(int System, int Examples, int Context, int Caller)
{
    public int Total => System + Examples + Context + Caller;

    public int PromptTax => System + Examples + Context;

    public static InputTokenSplit Allocate(int billedInput, BuiltPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        billedInput = Math.Max(0, billedInput);
        var estimatedTax = prompt.SystemTokens + prompt.ExamplesTokens + prompt.ContextTokens;
        if (estimatedTax <= billedInput)
        {
            return new InputTokenSplit(prompt.SystemTokens, prompt.ExamplesTokens, prompt.ContextTokens, billedInput - estimatedTax);
        }

        // The upstream tokenizer counted fewer tokens than ours: scale the fixed parts down so the parts still sum to the bill.
        var scale = (double)billedInput / estimatedTax;
        var system = (int)Math.Floor(prompt.SystemTokens * scale);
        var examples = (int)Math.Floor(prompt.ExamplesTokens * scale);
        var context = billedInput - system - examples;
        return new InputTokenSplit(system, examples, context, 0);
    }
}
