namespace Router.Core.Distillation;

/// <summary>
/// Mean tokens of one call, split the way distillation changes them: the prompt tax
/// (system + examples + context) disappears, the caller's input and the output stay.
/// </summary>
public sealed record TokensPerCall(decimal PromptTax, decimal CallerInput, decimal Output);
