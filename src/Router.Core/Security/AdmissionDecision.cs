namespace Router.Core.Security;

/// <summary>Whether a client may make a call now; when not, why and when to come back.</summary>
public sealed record AdmissionDecision(bool Allowed, string? Reason, TimeSpan RetryAfter, string? Code)
{
    public static readonly AdmissionDecision Allow = new(true, null, TimeSpan.Zero, null);
}
