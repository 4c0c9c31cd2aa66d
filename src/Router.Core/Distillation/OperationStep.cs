using System.Text.Json.Serialization;

namespace Router.Core.Distillation;

/// <summary>
/// One rung of the order of operations for one task: its status and one finding in numbers.
/// Other evidence (shadow evaluation, lifecycle) replaces or refines a step by name.
/// </summary>
public sealed record OperationStep
{
    public required StepName Step { get; init; }

    public required StepStatus Status { get; init; }

    /// <summary>One sentence with its numbers: "trim the 3 few-shot examples: 61% of input tokens, $18.00/day".</summary>
    public required string Finding { get; init; }

    /// <summary>Dollars per day acting on this step saves, when the step is a verdict with a saving; absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? SavingPerDay { get; init; }
}
