using System.Text.Json.Serialization;

namespace Router.Core.Distillation;

/// <summary>What to do next about a task, in one sentence with its number, and which step it comes from.</summary>
public sealed record NextStep
{
    public required StepName Step { get; init; }

    public required string Sentence { get; init; }

    /// <summary>Dollars per day it saves (counted in the run's total saving); absent when the step has no measured saving.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? SavingPerDay { get; init; }
}
