using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Background;
using Router.Core.Catalog;
using Router.Core.Ledger;
using Router.Core.Models;
using Router.Core.Routing;

namespace Router.Core.Evaluation;

/// <summary>
/// Shadow evaluation off the request path. <see cref="Offer"/> (called once the caller has its
/// answer) samples the served call per candidate, checks the candidate's daily budget and puts the
/// shadow call on a bounded in-memory queue without waiting: a full queue skips the call and counts
/// it. A fixed number of workers make the calls through the same model clients and resilience as
/// served calls, score the answers by task kind and hand one record per shadow call to the ledger
/// (status shadow, RequestId = the served call). A candidate that hangs or fails costs the caller nothing.
/// </summary>
public sealed partial class ShadowDispatcher : SupervisedLoop, IShadowDispatcher, ICallObserver
{
    /// <summary>The workers' name in /api/health and in router.background.failures.</summary>
    public const string LoopName = "shadow-workers";

    private readonly Channel<ShadowJob> _queue;
    private readonly ShadowOptions _options;
    private readonly PromptBuilder _prompts;
    private readonly TokenCounter _tokens;
    private readonly ChatModelRegistry _models;
    private readonly ICallLedger _ledger;
    private readonly ShadowBudget _budget;
    private readonly Classifier.LocalClassifiers _classifiers;
    private readonly CallRecordFactory _records;
    private readonly TimeProvider _time;
    private readonly TimeSpan _deadline;
    private readonly ILogger<ShadowDispatcher> _logger;
    private long _queued;
    private long _skippedQueueFull;
    private long _skippedBudget;
    private long _completed;
    private long _failed;
    private long _running;
    private long _judgeUnreadable;

    public ShadowDispatcher(PromptBuilder prompts, TokenCounter tokens, ChatModelRegistry models, ICallLedger ledger, ShadowBudget budget, Classifier.LocalClassifiers classifiers, CallRecordFactory records, TimeProvider time, IOptions<ShadowOptions> options, IOptions<RouterOptions> router, LoopRegistry loops, ILogger<ShadowDispatcher> logger)
        : base(LoopName, loops, time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(router);
        _options = options.Value;
        _prompts = prompts;
        _tokens = tokens;
        _models = models;
        _ledger = ledger;
        _budget = budget;
        _classifiers = classifiers;
        _records = records;
        _time = time;
        _deadline = router.Value.RequestTimeout;
        _logger = logger;
        _queue = Channel.CreateBounded<ShadowJob>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with Wait, TryWrite reports a full queue instead of dropping silently
            SingleReader = false,
            SingleWriter = false,
        });
    }

    /// <summary>Shadow calls queued since start.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Shadow calls skipped because the queue was full.</summary>
    public long SkippedQueueFull => Interlocked.Read(ref _skippedQueueFull);

    /// <summary>Shadow calls skipped because the candidate's daily budget was used up.</summary>
    public long SkippedBudget => Interlocked.Read(ref _skippedBudget);

    /// <summary>Shadow calls finished (answered or failed) and handed to the ledger.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Shadow calls whose model call failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Judge answers that were neither agree nor disagree (token F1 decided instead).</summary>
    public long JudgeUnreadable => Interlocked.Read(ref _judgeUnreadable);

    /// <summary>Shadow calls queued or running.</summary>
    public long Pending => Interlocked.Read(ref _running);

    /// <summary>The flow's after-served hook (streamed and non-streamed answers alike).</summary>
    public void AfterServed(ServedCall served)
    {
        ArgumentNullException.ThrowIfNull(served);
        Offer(new ShadowOffer(served.Request, served.CallId, served.Attempt.Target, served.Attempt.Model, served.Output));
    }

    public int Offer(ShadowOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (!_options.Enabled)
        {
            return 0;
        }

        var task = offer.Request.Task;
        var queued = 0;
        if (offer.ServedRoute == RouteTarget.Large && string.Equals(offer.ServedModel.Name, task.LargeModel.Name, StringComparison.Ordinal))
        {
            foreach (var candidate in task.Candidates)
            {
                // A local classifier's evidence is per trained version: a retrain starts measuring afresh.
                if (ShadowSampler.Picks(offer.CallId, candidate.Name, candidate.ShadowRate)
                    && TryQueue(offer, CatalogCandidate.Versioned(candidate.Name, _classifiers.VersionOf(candidate.Model)), candidate.Model, candidate.Prompt, shadowIsReference: false, candidate.DailyBudgetUsd))
                {
                    queued++;
                }
            }
        }
        else
        {
            // Served by something cheaper than the base: a slice goes to the large model so the route keeps measuring its agreement.
            // On a promoted route, the task's other candidates (a version trained after the promoted one) are measured on that slice too, against its large answer.
            var live = CatalogCandidate.LiveName(offer.ServedModel.Name);
            var served = CatalogCandidate.Versioned(offer.ServedModel.Name, _classifiers.VersionOf(offer.ServedModel));
            var evidence = CatalogCandidate.Versioned(live, _classifiers.VersionOf(offer.ServedModel));
            var then = task.PromotedCandidate is null ? [] : task.Candidates
                .Where(c => CatalogCandidate.Versioned(c.Model.Name, _classifiers.VersionOf(c.Model)) != served && ShadowSampler.Picks(offer.CallId, c.Name, c.ShadowRate))
                .ToArray();
            if (ShadowSampler.Picks(offer.CallId, live, task.LargeShadowRate)
                && TryQueue(offer, evidence, task.LargeModel, RouteTarget.Large, shadowIsReference: true, task.LargeShadowDailyBudgetUsd, then))
            {
                queued++;
            }
        }

        return queued;
    }

    private bool TryQueue(ShadowOffer offer, string evidence, CatalogModel model, RouteTarget prompt, bool shadowIsReference, decimal dailyBudgetUsd, IReadOnlyList<CatalogCandidate>? then = null)
    {
        var task = offer.Request.Task.Name;
        if (!_budget.TryStart(task, evidence, dailyBudgetUsd, out var day))
        {
            Interlocked.Increment(ref _skippedBudget);
            return false;
        }

        Interlocked.Increment(ref _running);
        if (_queue.Writer.TryWrite(new ShadowJob(offer, evidence, model, prompt, shadowIsReference, day) { Then = then ?? [] }))
        {
            Interlocked.Increment(ref _queued);
            return true;
        }

        Interlocked.Decrement(ref _running);
        _budget.Finish(day, task, evidence, 0);
        var skipped = Interlocked.Increment(ref _skippedQueueFull);
        // One warning per power of two: a sustained overload stays visible without flooding the log.
        if ((skipped & (skipped - 1)) == 0)
        {
            LogQueueFull(_logger, skipped, _options.QueueCapacity);
        }

        return false;
    }

    protected override Task RunAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, _options.Concurrency).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None));
        return Task.WhenAll(workers);
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await RunAsync(job, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: shadow calls still queued are evaluation only; they are dropped.
        }
    }

    private async Task RunAsync(ShadowJob job, CancellationToken stoppingToken)
    {
        decimal cost = 0;
        try
        {
            cost = await CallAndRecordAsync(job, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Never let one shadow call stop the workers; the failure is logged without content.
            LogShadowError(_logger, job.Task.Name, job.Evidence, ex.GetType().Name);
        }
        finally
        {
            _budget.Finish(job.BudgetDay, job.Task.Name, job.Evidence, cost);
            Interlocked.Decrement(ref _running);
        }
    }

    private async Task<decimal> CallAndRecordAsync(ShadowJob job, CancellationToken stoppingToken)
    {
        var request = job.Offer.Request;
        var plan = PlannedCall.For(request, job.Prompt, _prompts, job.Model);
        var attempt = await CallAsync(job.Prompt, plan, stoppingToken);
        var shadowText = attempt.Response?.Text;
        var evaluation = Evaluate(job, shadowText);

        // A generation task with a judge: the judge's verdict decides agreement (token F1 stays the score).
        ModelAttempt? judged = null;
        if (job.Task.Judge is { } judge && evaluation is { Scored: true, Valid: true } && shadowText is not null)
        {
            var (reference, candidate) = job.ShadowIsReference ? (shadowText, job.Offer.ServedText) : (job.Offer.ServedText, shadowText);
            var input = string.Join("\n", request.Messages.Where(m => m.Role == "user").Select(m => m.Content));
            judged = await CallAsync(RouteTarget.Large, JudgePrompt.Plan(job.Task, judge, input, reference, candidate, _tokens), stoppingToken);
            if (JudgePrompt.Read(judged.Response?.Text) is { } agreed)
            {
                evaluation = evaluation with { Agreed = agreed };
            }
            else
            {
                Interlocked.Increment(ref _judgeUnreadable);
                LogJudgeUnreadable(_logger, job.Task.Name, job.Evidence, judge.Model.Name);
            }
        }

        // Straight to the ledger: a shadow call is evaluation spend, not a served call (no caller metrics, no budget).
        // The candidate's row first, then its judge's: each model call is one row.
        _ledger.Enqueue(_records.Shadow(request, job.Offer.CallId, attempt, evaluation));
        if (judged is not null)
        {
            _ledger.Enqueue(_records.Shadow(request, job.Offer.CallId, judged, new ShadowEvaluation(job.Evidence, Scored: false, Valid: false, Agreed: false, Score: 0, Judge: true)));
        }

        Interlocked.Increment(ref _completed);
        if (attempt.Failure is { } failure)
        {
            Interlocked.Increment(ref _failed);
            LogShadowFailed(_logger, job.Task.Name, job.Evidence, failure.Kind);
        }

        if (job.Then.Count > 0 && shadowText is not null)
        {
            await MeasureAgainstLargeAsync(job, shadowText, stoppingToken);
        }

        return attempt.CostUsd + (judged?.CostUsd ?? 0);
    }

    /// <summary>
    /// The candidates of a promoted route's large shadow slice: each is called and scored against the large
    /// answer just received, as on a call large served; each within its own daily budget, its row its own.
    /// </summary>
    private async Task MeasureAgainstLargeAsync(ShadowJob job, string largeText, CancellationToken stoppingToken)
    {
        var asIfLarge = job.Offer with { ServedRoute = RouteTarget.Large, ServedModel = job.Task.LargeModel, ServedText = largeText };
        foreach (var candidate in job.Then)
        {
            var evidence = CatalogCandidate.Versioned(candidate.Name, _classifiers.VersionOf(candidate.Model));
            if (!_budget.TryStart(job.Task.Name, evidence, candidate.DailyBudgetUsd, out var day))
            {
                Interlocked.Increment(ref _skippedBudget);
                continue;
            }

            decimal cost = 0;
            try
            {
                cost = await CallAndRecordAsync(new ShadowJob(asIfLarge, evidence, candidate.Model, candidate.Prompt, ShadowIsReference: false, day), stoppingToken);
            }
            finally
            {
                _budget.Finish(day, job.Task.Name, evidence, cost);
            }
        }
    }

    /// <summary>One model call off the request path, through the same clients and resilience as served calls, bounded by the router's deadline.</summary>
    private async Task<ModelAttempt> CallAsync(RouteTarget target, PlannedCall plan, CancellationToken stoppingToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(_deadline);
        var attempt = new ModelAttempt(target, plan, _time.GetTimestamp(), streamed: false);
        try
        {
            var response = await _models.Get(plan.Model.Name).CompleteAsync(plan.Request, deadline.Token);
            attempt.Answered(response, _time.GetElapsedTime(attempt.StartedTimestamp).TotalMilliseconds);
        }
        catch (ModelCallException ex)
        {
            attempt.Failed(ex, _time.GetElapsedTime(attempt.StartedTimestamp).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            attempt.Failed(CallRecordFactory.DeadlineExceeded(plan.Model.Name, _deadline, midStream: false), _time.GetElapsedTime(attempt.StartedTimestamp).TotalMilliseconds);
        }

        return attempt;
    }

    private ShadowEvaluation Evaluate(ShadowJob job, string? shadowText)
    {
        if (shadowText is null)
        {
            return new ShadowEvaluation(job.Evidence, Scored: false, Valid: false, Agreed: false, Score: 0);
        }

        var (reference, candidate) = job.ShadowIsReference ? (shadowText, job.Offer.ServedText) : (job.Offer.ServedText, shadowText);
        return AnswerScorer.Score(job.Task, reference, candidate, _options.GenerationAgreement) is { } score
            ? new ShadowEvaluation(job.Evidence, Scored: true, score.Valid, score.Agreed, score.Score)
            : new ShadowEvaluation(job.Evidence, Scored: false, Valid: false, Agreed: false, Score: 0);
    }

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Task {Task}: the judge {Judge} of candidate {Candidate} answered neither agree nor disagree; token F1 decided")]
    private static partial void LogJudgeUnreadable(ILogger logger, string task, string candidate, string judge);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Shadow queue full ({Capacity} calls): {Skipped} shadow calls skipped")]
    private static partial void LogQueueFull(ILogger logger, long skipped, int capacity);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Task {Task}: shadow call to {Candidate} failed ({Kind})")]
    private static partial void LogShadowFailed(ILogger logger, string task, string candidate, UpstreamFailureKind kind);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "Task {Task}: shadow evaluation of {Candidate} broke ({ErrorType}); the worker carries on")]
    private static partial void LogShadowError(ILogger logger, string task, string candidate, string errorType);
}
