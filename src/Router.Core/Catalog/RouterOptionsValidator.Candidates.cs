using System.Globalization;
using Router.Core.Routing;

namespace Router.Core.Catalog;

/// <summary>The shadow-evaluation settings of a task: candidates, the quality bar and the large shadow slice.</summary>
public sealed partial class RouterOptionsValidator
{
    private static void ValidateEvidence(string path, TaskOptions task, RouterOptions options, List<string> errors)
    {
        if (!(task.QualityBar is > 0 and <= 1))
        {
            errors.Add($"{path}:QualityBar: {task.QualityBar.ToString(CultureInfo.InvariantCulture)} is outside (0, 1] (the agreement a cheaper path must show, e.g. 0.95).");
        }

        if (!(task.ConfidenceThreshold is >= 0 and <= 1))
        {
            errors.Add($"{path}:ConfidenceThreshold: {task.ConfidenceThreshold.ToString(CultureInfo.InvariantCulture)} is outside 0..1.");
        }

        CheckShadowSlice($"{path}:LargeShadow", task.LargeShadow.ShadowRate, task.LargeShadow.DailyBudgetUsd, errors);

        foreach (var (name, candidate) in task.Candidates)
        {
            var at = $"{path}:Candidates:{name}";
            if (!NamePattern().IsMatch(name))
            {
                errors.Add($"{at}: the candidate name must be lowercase letters, digits and '-', at most 63 characters.");
            }

            CheckModelReference($"{at}:Model", candidate.Model, options, errors, required: true);
            var prompt = RouteNames.Parse(candidate.Prompt);
            if (prompt is null)
            {
                errors.Add($"{at}:Prompt: '{candidate.Prompt}' is not one of large (the task's full plan), small (the short prompt of a tuned model).");
            }
            else if (prompt == RouteTarget.Large && string.Equals(candidate.Model, task.Large.Model, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{at}: model '{candidate.Model}' with the large prompt is the task's own large route; it would be compared with itself.");
            }
            else if (prompt == RouteTarget.Small && task.Small is null)
            {
                errors.Add($"{at}:Prompt: 'small' needs the task's Small section (its short System prompt).");
            }

            CheckShadowSlice(at, candidate.ShadowRate, candidate.DailyBudgetUsd, errors);
        }

        if (task.Judge is { } judge)
        {
            CheckModelReference($"{path}:Judge:Model", judge.Model, options, errors, required: true);
            if (!string.Equals(task.Kind, "generation", StringComparison.OrdinalIgnoreCase) && !string.Equals(task.Kind, "knowledge", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{path}:Judge: only generation and knowledge tasks are judged; labels and JSON answers are compared exactly.");
            }
        }
    }

    private static void CheckShadowSlice(string path, double rate, decimal? budget, List<string> errors)
    {
        if (!(rate is >= 0 and <= 1))
        {
            errors.Add($"{path}:ShadowRate: {rate.ToString(CultureInfo.InvariantCulture)} is outside 0..1.");
        }

        if (budget is < 0)
        {
            errors.Add($"{path}:DailyBudgetUsd: {budget.Value.ToString(CultureInfo.InvariantCulture)} is negative.");
        }
        else if (rate > 0 && budget is null or 0)
        {
            errors.Add($"{path}:DailyBudgetUsd: is required and above zero when ShadowRate is above zero (shadow calls are paid for; the budget caps them per UTC day).");
        }
    }
}
