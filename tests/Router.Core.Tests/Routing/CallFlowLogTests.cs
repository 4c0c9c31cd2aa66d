using Router.Core.Models;
using Router.Core.Routing;

namespace Router.Core.Tests.Routing;

/// <summary>
/// The flow's logs name tasks, models and reasons, never what the caller sent or what a model
/// answered (a second proof beside the end-to-end content-capture test, which needs a running stack).
/// </summary>
public sealed class CallFlowLogTests
{
    private const string SecretInput = "my card 4111-SECRET-INPUT was charged twice";
    private const string SecretOutput = "SECRET-OUTPUT-not-a-label";
    private static readonly TokenUsage Usage = new(120, 0, 3);

    [Fact]
    public async Task SendAsync_SmallAnswerEscalated_LogsTheEscalationWithoutInputOrOutput()
    {
        var logger = new CapturingLogger<CallFlow>();
        var harness = new FlowHarness(logger);
        harness.Small.Answers(SecretOutput, Usage);
        harness.Large.Answers("billing", Usage);

        var outcome = await harness.Flow.SendAsync(harness.Request("triage", SecretInput), CancellationToken.None);

        Assert.Equal(RouteTarget.Large, outcome.Result!.Route);
        var escalation = Assert.Single(logger.Entries, e => e.Id.Id == 2001);
        Assert.Contains("triage", escalation.Message, StringComparison.Ordinal);
        AssertNoContent(logger, SecretOutput, "billing");
    }

    [Fact]
    public async Task SendAsync_BothModelsFail_LogsTheFailuresWithoutInput()
    {
        var logger = new CapturingLogger<CallFlow>();
        var harness = new FlowHarness(logger);
        harness.Small.Fails(UpstreamFailureKind.Unavailable);
        harness.Large.Fails(UpstreamFailureKind.Unavailable);

        var outcome = await harness.Flow.SendAsync(harness.Request("triage", SecretInput), CancellationToken.None);

        Assert.NotNull(outcome.Failure);
        Assert.NotEmpty(logger.Entries);
        AssertNoContent(logger);
    }

    private static void AssertNoContent(CapturingLogger<CallFlow> logger, params string[] outputs)
    {
        foreach (var text in logger.Texts)
        {
            Assert.DoesNotContain("SECRET-INPUT", text, StringComparison.Ordinal);
            foreach (var output in outputs)
            {
                Assert.DoesNotContain(output, text, StringComparison.Ordinal);
            }
        }
    }
}
