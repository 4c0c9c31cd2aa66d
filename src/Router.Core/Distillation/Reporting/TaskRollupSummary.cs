namespace Router.Core.Distillation.Reporting;

/// <summary>What the rollups say about one task: usage over the window and when its prompt version started.</summary>
public sealed record TaskRollupSummary(TaskUsageWindow Usage, DateTimeOffset PromptVersionSince, int RowsRead);
