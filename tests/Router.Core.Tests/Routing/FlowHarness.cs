using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Router.Core.Catalog;
using Router.Core.Distillation.Samples;
using Router.Core.Models;
using Router.Core.Routing;
using Router.Core.Security;
using Router.Core.Tests.Catalog;

namespace Router.Core.Tests.Routing;

/// <summary>A <see cref="CallFlow"/> over in-memory models, a capturing ledger and a fake clock.</summary>
internal sealed class FlowHarness
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public FlowHarness(bool cascade = true, params ICallObserver[] observers)
        : this(NullLogger<CallFlow>.Instance, cascade, observers)
    {
    }

    public FlowHarness(Microsoft.Extensions.Logging.ILogger<CallFlow> logger, bool cascade = true, params ICallObserver[] observers)
    {
        var options = CatalogFixtures.Options();
        options.RequestTimeout = Deadline;
        options.Tasks["triage"].CascadeToLarge = cascade;
        options.Tasks["notes"] = new TaskOptions
        {
            Kind = "generation",
            Route = "large",
            Large = new LargePromptOptions { Model = "large", System = "Summarise the notes." },
        };
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var catalog = new TaskCatalog(wrapped, Tokens);
        Catalog = catalog;
        Records = new CallRecordFactory(Time);
        Flow = new CallFlow(
            new PromptBuilder(Tokens),
            ChatModelRegistry.Of(Large, Small),
            Records,
            new CallRecorder(Ledger, Samples, observers, wrapped),
            Tokens,
            Time,
            wrapped,
            logger);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public TokenCounter Tokens { get; } = new();

    public CapturingLedger Ledger { get; } = new();

    public NoSamples Samples { get; } = new();

    public ScriptedChatModel Large { get; } = new("large");

    public ScriptedChatModel Small { get; } = new("small");

    public TaskCatalog Catalog { get; }

    public CallRecordFactory Records { get; }

    public CallFlow Flow { get; }

    public RouteRequest Request(string task, string input = "I was charged twice this month.", bool stream = false)
    {
        Assert.True(Catalog.TryResolve(task, out var resolved));
        return new RouteRequest(resolved, new ClientIdentity("caller-a", new HashSet<string> { ClientRoles.Caller }), [new CallerMessage("user", input)], null, null, null, "chat", Time.GetTimestamp()) { Stream = stream };
    }

    internal sealed class NoSamples : ISampleCapture
    {
        public List<string> Offered { get; } = [];

        public int QueueDepth => 0;

        public bool Offer(RouteRequest request, string callId, string largeModel, string output, IReadOnlyList<Router.Core.Models.ToolCall> toolCalls)
        {
            Offered.Add(callId);
            return true;
        }
    }
}
