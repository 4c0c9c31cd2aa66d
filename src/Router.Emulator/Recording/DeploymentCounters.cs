namespace Router.Emulator.Recording;

/// <summary>Running totals for one deployment; updated with Interlocked from concurrent requests.</summary>
public sealed class DeploymentCounters
{
    private long _requests;
    private long _faultsServed;
    private long _promptTokens;
    private long _completionTokens;

    public long Requests => Interlocked.Read(ref _requests);

    public long FaultsServed => Interlocked.Read(ref _faultsServed);

    public long PromptTokens => Interlocked.Read(ref _promptTokens);

    public long CompletionTokens => Interlocked.Read(ref _completionTokens);

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public void CountFault() => Interlocked.Increment(ref _faultsServed);

    public void CountTokens(int prompt, int completion)
    {
        Interlocked.Add(ref _promptTokens, prompt);
        Interlocked.Add(ref _completionTokens, completion);
    }
}
