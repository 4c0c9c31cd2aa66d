namespace Router.Core.Distillation;

/// <summary>
/// The prices of one model as the economics need them. Kept local to distillation so the
/// catalog's price sheet can change shape without touching the formulas; the catalog maps into it.
/// </summary>
public sealed record DistillationModelPrices
{
    /// <summary>USD per 1M uncached input tokens.</summary>
    public decimal InputPerMillion { get; init; }

    /// <summary>USD per 1M cached input tokens.</summary>
    public decimal CachedInputPerMillion { get; init; }

    /// <summary>USD per 1M output tokens.</summary>
    public decimal OutputPerMillion { get; init; }

    /// <summary>USD per hour the deployment exists; zero for per-token-only deployments.</summary>
    public decimal HostingPerHour { get; init; }

    /// <summary>USD per 1M training tokens (tokens per example x examples x epochs).</summary>
    public decimal TrainingPerMillion { get; init; }

    /// <summary>The day the model stops being served, if announced.</summary>
    public DateOnly? RetiresOn { get; init; }

    /// <summary>Errors naming each bad price, prefixed with <paramref name="owner"/> so the reader knows which model.</summary>
    public IReadOnlyList<string> Validate(string owner)
    {
        var errors = new List<string>();
        AddIfNegative(errors, owner, nameof(InputPerMillion), InputPerMillion);
        AddIfNegative(errors, owner, nameof(CachedInputPerMillion), CachedInputPerMillion);
        AddIfNegative(errors, owner, nameof(OutputPerMillion), OutputPerMillion);
        AddIfNegative(errors, owner, nameof(HostingPerHour), HostingPerHour);
        AddIfNegative(errors, owner, nameof(TrainingPerMillion), TrainingPerMillion);
        return errors;
    }

    private static void AddIfNegative(List<string> errors, string owner, string name, decimal value)
    {
        if (value < 0)
        {
            errors.Add(FormattableString.Invariant($"{owner}.{name} must not be negative (was {value})."));
        }
    }
}
