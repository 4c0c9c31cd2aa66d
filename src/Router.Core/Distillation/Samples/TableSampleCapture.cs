using System.Diagnostics.Metrics;
using System.Text;
using System.Threading.Channels;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Router.Core.Background;
using Router.Core.Ledger;
using Router.Core.Routing;

namespace Router.Core.Distillation.Samples;

/// <summary>
/// Sample capture like the ledger: the request path decides and enqueues (never waits, never throws);
/// one background writer upserts batches of up to 100 rows per partition into RouterSamples.
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

    private readonly Channel<TrainingSample> _queue;
    private readonly TableServiceClient _service;
    private readonly PromptBuilder _prompts;
    private readonly DistillationOptions _options;
    private readonly StorageOptions _storage;
    private readonly TimeSpan _flushInterval;
    private readonly TimeProvider _time;
    private readonly ILogger<TableSampleCapture> _logger;
    private readonly ResiliencePipeline _retry;
    private long _pending;
    private TableClient? _table;

    public TableSampleCapture(TableServiceClient service, PromptBuilder prompts, IOptions<DistillationOptions> options, IOptions<StorageOptions> storage, IOptions<LedgerOptions> ledger, LoopRegistry loops, TimeProvider time, ILogger<TableSampleCapture> logger)
        : base(LoopName, loops, time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(ledger);
        _service = service;
        _prompts = prompts;
        _options = options.Value;
        _storage = storage.Value;
        _flushInterval = ledger.Value.FlushInterval;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<TrainingSample>(new BoundedChannelOptions(_options.SampleQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then reports a full queue instead of dropping silently
            SingleReader = true,
            SingleWriter = false,
        });
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } error && TransientFailure.IsTransient(error, args.Context.CancellationToken)),
                MaxRetryAttempts = 5,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                OnRetry = args =>
                {
                    Loop.Failed(args.Outcome.Exception!);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public int QueueDepth => (int)Interlocked.Read(ref _pending);

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
            if (!_queue.Writer.TryWrite(sample))
            {
                Skipped.Add(1, new KeyValuePair<string, object?>("router.task", task.Name), new KeyValuePair<string, object?>("reason", "queue-full"));
                return false;
            }

            Interlocked.Increment(ref _pending);
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
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            await Task.Delay(_flushInterval, _time, stoppingToken);
            while (buffer.Count < 2_000 && _queue.Reader.TryRead(out var sample))
            {
                buffer.Add(sample);
            }

            await WriteAsync(buffer, stoppingToken);
        }
    }

    private async Task WriteAsync(List<TrainingSample> buffer, CancellationToken cancellationToken)
    {
        try
        {
            var table = await GetTableAsync(cancellationToken);
            var shards = _options.SampleShardCount;
            foreach (var partition in buffer.GroupBy(s => SampleKeys.Partition(s.Task, s.InputHash, shards)))
            {
                // One row per input within a batch (a transaction may not touch a row twice); the latest answer wins.
                var rows = partition.GroupBy(s => s.InputHash).Select(g => g.Last());
                foreach (var chunk in rows.Chunk(TableCallLedger.MaxBatchSize))
                {
                    var actions = chunk.Select(s => new TableTransactionAction(TableTransactionActionType.UpsertReplace, SampleEntity.ToEntity(s, shards))).ToList();
                    try
                    {
                        await _retry.ExecuteAsync(async ct => await table.SubmitTransactionAsync(actions, ct), cancellationToken);
                        Loop.Succeeded();
                    }
#pragma warning disable CA1031 // Whatever storage did, these examples are given up (counted); the writer carries on.
                    catch (Exception ex) when (!TransientFailure.IsShutdown(ex, cancellationToken))
#pragma warning restore CA1031
                    {
                        Skipped.Add(chunk.Length, new KeyValuePair<string, object?>("reason", "write-failed"));
                        Loop.Failed(ex);
                    }
                }
            }
        }
#pragma warning disable CA1031 // The table could not be created: the examples are given up (counted); the next batch tries again.
        catch (Exception ex) when (!TransientFailure.IsShutdown(ex, cancellationToken))
#pragma warning restore CA1031
        {
            Skipped.Add(buffer.Count, new KeyValuePair<string, object?>("reason", "write-failed"));
            Loop.Failed(ex);
        }
        finally
        {
            Interlocked.Add(ref _pending, -buffer.Count);
            buffer.Clear();
        }
    }

    private async Task<TableClient> GetTableAsync(CancellationToken cancellationToken)
    {
        if (_table is not null)
        {
            return _table;
        }

        var table = _service.GetTableClient(_storage.SamplesTable);
        await _retry.ExecuteAsync(async ct => await table.CreateIfNotExistsAsync(ct), cancellationToken);
        return _table = table;
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Task {Task}: training example not captured ({ErrorType})")]
    private static partial void LogOfferFailed(ILogger logger, string task, string errorType);
}
