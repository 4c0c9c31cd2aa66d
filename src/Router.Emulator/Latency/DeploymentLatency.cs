namespace Router.Emulator.Latency;

/// <summary>Scaled latency for one deployment: time to first token, then a fixed cost per output token.</summary>
public readonly record struct DeploymentLatency(TimeSpan TimeToFirstToken, TimeSpan PerOutputToken)
{
    public bool IsZero => TimeToFirstToken == TimeSpan.Zero && PerOutputToken == TimeSpan.Zero;

    public TimeSpan Total(int outputTokens) => TimeToFirstToken + (PerOutputToken * outputTokens);
}
