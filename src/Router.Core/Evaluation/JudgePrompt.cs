using Router.Core.Catalog;
using Router.Core.Models;
using Router.Core.Routing;

namespace Router.Core.Evaluation;

/// <summary>
/// The judge's prompt and how its answer is read: one place. The judge gets the task's description,
/// the rubric, the caller's input, the reference (large) answer and the candidate's answer, and must
/// answer with one label, <c>agree</c> or <c>disagree</c> (the labels line is the same one classification
/// tasks use, so any instruction-following model, and the emulator, can answer it).
/// </summary>
public static class JudgePrompt
{
    public const string Agree = "agree";
    public const string Disagree = "disagree";

    /// <summary>The system prompt's first words: a grading request (the emulator recognises it by them).</summary>
    public const string Preamble = "Grade the candidate answer against the reference answer.";

    public static PlannedCall Plan(CatalogTask task, CatalogJudge judge, string input, string reference, string candidate, TokenCounter tokens)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentNullException.ThrowIfNull(tokens);
        var system = $"{Preamble} The task: {task.Description ?? task.Name}. {judge.Rubric}\nAnswer with exactly one word: {Agree} if the candidate does the task as well as the reference, {Disagree} otherwise.\nAllowed labels: {Agree}, {Disagree}";
        var user = $"Input:\n{input}\n\nReference answer:\n{reference}\n\nCandidate answer:\n{candidate}";
        PromptMessage[] messages = [new("system", system, PromptPart.System), new("user", user, PromptPart.Caller)];
        var prompt = new BuiltPrompt(messages, tokens.Count(system), 0, 0);
        return new PlannedCall(judge.Model, prompt, new ChatModelRequest(messages, MaxOutputTokens: 5, Temperature: 0, JsonOutput: false));
    }

    /// <summary>True for agree, false for disagree, null when the judge said neither (then token F1 decides).</summary>
    public static bool? Read(string? answer)
    {
        if (answer is null)
        {
            return null;
        }

        var word = AnswerScorer.NormaliseLabel(answer);
        return word.Equals(Agree, StringComparison.OrdinalIgnoreCase) ? true
            : word.Equals(Disagree, StringComparison.OrdinalIgnoreCase) ? false
            : null;
    }
}
