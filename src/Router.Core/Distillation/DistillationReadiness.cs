namespace Router.Core.Distillation;

/// <summary>Each readiness rule on its own, so a dashboard can show which ones hold.</summary>
public sealed record DistillationReadiness(
    bool KindAllowsDistillation,
    bool HasEnoughExamples,
    bool PromptIsStable,
    bool PaysBackWithinUsefulLife)
{
    public bool IsReady => KindAllowsDistillation && HasEnoughExamples && PromptIsStable && PaysBackWithinUsefulLife;
}
