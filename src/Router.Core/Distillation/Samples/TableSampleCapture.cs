using System.Diagnostics.Metrics;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Background;
using Router.Core.Ledger;
using Router.Core.Ledger.Writer;
using Router.Core.Routing;

namespace Router.Core.Distillation.Samples;

/// <summary>
/// Sample capture like the ledger: the request path decides and enqueues (never waits, never throws);
/// one background writer upserts batches of up to 100 rows per partition into RouterSamples, with the
/// ledger's queue, commit and retry mechanism (<see cref="PendingWrites{T}"/>, <see cref="TableBatchCommitter"/>,
/// <see cref="StorageRetry"/>), but a few attempts only.
/// Rows are keyed by input hash, so duplicates collapse and a retried batch writes nothing twice.
/// Examples are a nice-to-have: when the queue is full or storage keeps failing they are dropped and counted.
/// Storage failing or hung (timeouts included) is reported as loop <c>sample-writer</c>, never the host's end.
/// </summary>
public sealed partial class TableSampleCapture : SupervisedLoop, ISampleCapture
{
    /// <summary>This loop's name in /api/health and in router.background.failures.</summary>
    public const string LoopName = "sample-writer";

    private static readonly Counter<long> Captured = RouterTelemetry.Meter.CreateCounter<long>("router.distillation.samples.captured", "{sample}", "Training examples queued for RouterSamples.");
    private static readonly Counter<long> Skipped = RouterTelemetry.Meter.CreateCounter<long>("router.distillation.samples.skipped", "{sample}", "Training examples not kept (too large, queue full, write failed).");

    private readonly PendingWrites<TrainingSample> _queue;
    private readonly PromptBuilder _prompts;
    private readonly DistillationOptions _options;
    private readonly TimeSpan _flushInterval;
    private readonly TimeProvider _time;
    private readonly ILogger<TableSampleCapture> _logger;
    private readonly TableBatchCommitter _samples;

    public TableSampleCapture(TableServiceClient service, PromptBuilder prompts, IOptions<DistillationOptions> options, IOptions<StorageOptions> storage, IOptions<LedgerOptions> ledger, LoopRegistry loops, TimeProvider time, ILogger<TableSampleCapture> logger)
        : base(LoopName, loops, time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(ledger);
        _prompts = prompts;
        _options = options.Value;
        _flushInterval = ledger.Value.FlushInterval;
        _time = time;
        _logger = logger;
        _queue = new PendingWrites<TrainingSample>(_options.SampleQueueCapacity);
        // Examples are optional: a few attempts, then the batch is given up (counted), unlike call records.
        var retry = StorageRetry.Create(time, Loop, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), maxAttempts: 5);
        _samples = new TableBatchCommitter(new LedgerTable(service, storage.Value.SamplesTable), retry, Loop);
    }

    public int QueueDepth => _queue.Pending;

    public bool Offer(RouteRequest request, string callId, string largeModel, string output, IReadOnlyList<Models.ToolCall> toolCalls)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(request);
            ArgumentNullException.ThrowIfNull(toolCalls);
            var task = request.Task;
            // A tool call is not the final answer: the task's rule is checked on answers only (as AnswerCheck does).
            if (!SampleKeys.IsSampled(callId, task.CaptureRate) || (toolCalls.Count == 0 && task.Output.Check(output) is not null))
            {
                return false;
            }

            // The small route's prompt format: what the tuned model will be sent, so what it must be trained on
            // (earlier tool calls and tool results kept in their place).
            var messages = _prompts.Build(task, RouteTarget.Small, request.Messages, context: null).Messages
                .Select(m => new CallerMessage(m.Role, m.Content) { ToolCalls = m.ToolCalls, ToolCallId = m.ToolCallId })
                .ToArray();
            var bytes = Encoding.UTF8.GetByteCount(SampleEntity.SerializeMessages(messages)) + Encoding.UTF8.GetByteCount(output)
                + request.Tools.Sum(t => Encoding.UTF8.GetByteCount(t.Name) + Encoding.UTF8.GetByteCount(t.Description ?? string.Empty) + Encoding.UTF8.GetByteCount(t.ParametersJson ?? string.Empty))
                + toolCalls.Sum(c => Encoding.UTF8.GetByteCount(c.Id) + Encoding.UTF8.GetByteCount(c.Name) + Encoding.UTF8.GetByteCount(c.Arguments));
            if (bytes > _options.MaxSampleBytes)
            {
                Skipped.Add(1, new KeyValuePair<string, object?>("router.task", task.Name), new KeyValuePair<string, object?>("reason", "too-large"));
                return false;
            }

            var sample = new TrainingSample
            {
                Task = task.Name,
                InputHash = SampleKeys.InputHash(messages, request.Tools),
                CallId = callId,
                CapturedAt = _time.GetUtcNow(),
                PromptVersion = task.PromptVersion,
                Model = largeModel,
                Messages = messages,
                Output = output,
                Tools = request.Tools,
                OutputToolCalls = toolCalls,
            };
            if (!_queue.TryAdd(sample))
            {
                Skipped.Add(1, new KeyValuePair<string, object?>("router.task", task.Name), new KeyValuePair<string, object?>("reason", "queue-full"));
                return false;
            }

            Captured.Add(1, new KeyValuePair<string, object?>("router.task", task.Name));
            return true;
        }
#pragma warning disable CA1031 // The request path must never fail because an optional training example could not be kept.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogOfferFailed(_logger, request?.Task.Name ?? "?", ex.GetType().Name);
            return false;
        }
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        // Shutdown: examples still queued are given up; they are samples, not records.
        var buffer = new List<TrainingSample>();
        while (await _queue.WaitToReadAsync(stoppingToken))
        {
            await Task.Delay(_flushInterval, _time, stoppingToken);
            _queue.Drain(buffer, 2_000);

            await WriteAsync(buffer, stoppingToken);
        }
    }

    private async Task WriteAsync(List<TrainingSample> buffer, CancellationToken cancellationToken)
    {
        var shards = _options.SampleShardCount;
        // One row per input within a batch (a transaction may not touch a row twice); the latest answer wins.
        var rows = buffer.GroupBy(s => (s.Task, s.InputHash)).Select(g => g.Last()).ToList();
        var settled = 0;
        try
        {
            await _samples.CommitAsync(
                rows,
                s => SampleKeys.Partition(s.Task, s.InputHash, shards),
                s => SampleEntity.ToEntity(s, shards),
                (_, batch) => settled += batch,
                (_, error) =>
                {
                    Skipped.Add(1, new KeyValuePair<string, object?>("reason", "write-failed"));
                    Loop.Failed(error);
                },
                cancellationToken);
        }
#pragma warning disable CA1031 // Storage kept failing past the few attempts: these examples are given up (counted); the writer carries on.
        catch (Exception ex) when (!TransientFailure.IsShutdown(ex, cancellationToken))
#pragma warning restore CA1031
        {
            Skipped.Add(rows.Count - settled, new KeyValuePair<string, object?>("reason", "write-failed"));
            Loop.Failed(ex);
        }
        finally
        {
            _queue.Done(buffer.Count);
            buffer.Clear();
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Task {Task}: training example not captured ({ErrorType})")]
    private static partial void LogOfferFailed(ILogger logger, string task, string errorType);
}
