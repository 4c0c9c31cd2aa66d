using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Core.Catalog;
using Router.Core.Classifier;
using Router.Core.Evaluation;

namespace Router.Core.Promotion;

/// <summary>
/// What a person asks for: promote <paramref name="Candidate"/>, why, and whether to waive the quality bar;
/// for a local classifier, optionally which stored <paramref name="Version"/> (default: the one its pointer names, the newest trained).
/// </summary>
public sealed record PromotionRequest(string Candidate, string Reason, bool Force, string By, string? Version = null);

/// <summary>Why a promotion or restore did not happen: the HTTP status and a message naming the problem.</summary>
public sealed record OverrideRefusal(int Status, string Message);

/// <summary>
/// Promotes a task's candidate to serve it, restores the catalog route, and rolls a promotion back: each
/// step stored (RouteOverrideStore, with its history row) and applied on this instance at once; every
/// other instance follows within its refresh interval. A promotion rests on the candidate's shadow
/// evidence (for a local classifier, of the version promoted): the lower bound of its agreement
/// interval must reach the task's quality bar, unless the person forces it (recorded as such). A local
/// classifier's promotion is pinned to that version: a version trained later is a new candidate, measured
/// by shadow evaluation, never served by the promoted route until it is promoted itself.
/// </summary>
public sealed partial class RoutePromotion(
    TaskCatalog catalog,
    RouteOverrideStore store,
    RouteOverrides overrides,
    ShadowEvidenceReader evidence,
    PromotedRouteReader counts,
    LocalClassifiers classifiers,
    ClassifierRefresher versions,
    Distillation.Reporting.DistillationWebhook webhook,
    IOptions<RouteOverrideOptions> options,
    TimeProvider time,
    ILogger<RoutePromotion> logger)
{
    /// <summary>Who rolls back automatically, in the history.</summary>
    public const string Rule = "router";

    public async Task<(RouteOverride? Promoted, OverrideRefusal? Refused)> PromoteAsync(string taskName, PromotionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!catalog.TryResolve(taskName, out var task))
        {
            return (null, UnknownTask(taskName));
        }

        var candidate = task.Candidates.FirstOrDefault(c => string.Equals(c.Name, request.Candidate, StringComparison.OrdinalIgnoreCase));
        if (candidate is null)
        {
            var known = task.Candidates.Count == 0 ? "none (declare them under Router:Tasks:" + task.Name + ":Candidates)" : string.Join(", ", task.Candidates.Select(c => c.Name));
            return (null, new OverrideRefusal(400, $"Task '{task.Name}' has no candidate '{request.Candidate}' (in 'candidate'). Known candidates: {known}."));
        }

        if (task.Kind == TaskKind.Knowledge && candidate.Prompt == Routing.RouteTarget.Small)
        {
            return (null, new OverrideRefusal(409, $"Task '{task.Name}' is a knowledge task: its facts belong in retrieval, so a tuned small-prompt candidate ('{candidate.Name}') cannot serve it."));
        }

        if (request.Version is not null && !candidate.Model.IsLocalClassifier)
        {
            return (null, new OverrideRefusal(400, $"Candidate '{candidate.Name}' of task '{task.Name}' is the deployment '{candidate.Model.Name}', which has no versions: 'version' is for a local classifier only."));
        }

        var version = candidate.Model.IsLocalClassifier ? request.Version ?? classifiers.Current(candidate.Model.Name)?.Version : null;
        if (candidate.Model.IsLocalClassifier && version is null)
        {
            return (null, new OverrideRefusal(409, $"Candidate '{candidate.Name}' of task '{task.Name}' is the local classifier '{candidate.Model.Name}', which has no trained version yet: POST /api/distillation/{task.Name}/train first."));
        }

        var now = time.GetUtcNow();
        var name = CatalogCandidate.Versioned(candidate.Name, version);
        var measured = (await evidence.ReadAsync(now.AddDays(-options.Value.EvidenceDays), now.AddHours(1), task.Name, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(e => string.Equals(e.Candidate, name, StringComparison.Ordinal));
        var found = Evidence(measured, task.QualityBar);
        var described = Describe(found);
        if (found.AgreementLower < task.QualityBar && !request.Force)
        {
            return (null, new OverrideRefusal(409, $"Candidate '{name}' of task '{task.Name}' does not meet the quality bar: {described}, and the lower bound must be at or above the {Percent(task.QualityBar)} bar. Gather more shadow samples, or send \"force\": true to promote it anyway (recorded as forced)."));
        }

        // The route serves exactly the version the evidence is about: kept loaded here, whatever is trained next.
        if (version is not null && !await versions.PinAsync(candidate.Model.Name, version, cancellationToken).ConfigureAwait(false))
        {
            return (null, new OverrideRefusal(409, $"Version {version} of the local classifier '{candidate.Model.Name}' cannot be loaded (not stored in Blob Storage, or not a model): {classifiers.State(candidate.Model.Name).LoadError}"));
        }

        // What the promotion's first hour already holds (rollups are hourly): the rule judges only what comes after.
        var before = await counts.ReadAsync(task.Name, candidate.Model.Name, version, PromotedRouteReader.HourOf(now), cancellationToken).ConfigureAwait(false);
        var promoted = await store.PromoteAsync(
            new RouteOverride
            {
                Task = task.Name,
                Candidate = candidate.Name,
                Model = candidate.Model.Name,
                Version = version,
                PromotedBy = request.By,
                PromotedAt = now,
                Reason = request.Reason,
                Forced = found.AgreementLower < task.QualityBar,
                Evidence = found,
                Baseline = new PromotionBaseline(before.LiveSamples, before.LiveAgreements, before.RouteCalls, before.RouteCascades),
            },
            cancellationToken).ConfigureAwait(false);
        overrides.Set(promoted);
        LogPromoted(logger, task.Name, name, request.By, promoted.Forced, described);
        return (promoted, null);
    }

    /// <summary>DELETE: the catalog route again. False when the task had no promoted route.</summary>
    public async Task<(bool Removed, OverrideRefusal? Refused)> RestoreAsync(string taskName, string by, string? reason, CancellationToken cancellationToken)
    {
        if (!catalog.TryResolve(taskName, out var task))
        {
            return (false, UnknownTask(taskName));
        }

        var current = (await store.ReadCurrentAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(o => o.Task == task.Name);
        if (current is null)
        {
            overrides.Remove(task.Name);
            return (false, null);
        }

        var removed = await store.RemoveAsync(Step(current, RouteOverrideEvent.Restored, by, string.IsNullOrWhiteSpace(reason) ? "restored by hand" : reason, null), only: null, cancellationToken).ConfigureAwait(false);
        overrides.Remove(task.Name);
        classifiers.Unpin(current.Model);
        LogRestored(logger, task.Name, current.Candidate, by);
        return (removed, null);
    }

    /// <summary>The rule removes <paramref name="promoted"/> (and only it); false when another instance already did, or it was replaced.</summary>
    public async Task<bool> RollBackAsync(RouteOverride promoted, string why, PromotionEvidence? live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(promoted);
        var step = Step(promoted, RouteOverrideEvent.RolledBack, Rule, why, live);
        var removed = await store.RemoveAsync(step, promoted, cancellationToken).ConfigureAwait(false);
        if (removed)
        {
            overrides.Remove(promoted.Task);
            classifiers.Unpin(promoted.Model);
            LogRolledBack(logger, promoted.Task, CatalogCandidate.Versioned(promoted.Candidate, promoted.Version), why);
            // Only the instance whose removal won tells the webhook: one event per rollback.
            await webhook.DeliverEventAsync(step, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    public static PromotionEvidence Evidence(CandidateEvidence? measured, double bar) =>
        measured is null
            ? new PromotionEvidence(0, 0, 0, 0, 1, null, bar)
            : new PromotionEvidence(measured.Samples, measured.Agreements, measured.Agreement.Rate, measured.Agreement.Lower, measured.Agreement.Upper, measured.CostPerCall, bar);

    /// <summary>"agreement 81.0% [77.2%, 84.9%] over 400 shadow samples".</summary>
    public static string Describe(PromotionEvidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Samples == 0
            ? "no shadow samples yet"
            : string.Create(CultureInfo.InvariantCulture, $"agreement {Percent(e.AgreementRate)} [{Percent(e.AgreementLower)}, {Percent(e.AgreementUpper)}] over {e.Samples:#,0} shadow samples");
    }

    internal static string Percent(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private RouteOverrideEvent Step(RouteOverride o, string kind, string by, string reason, PromotionEvidence? evidence) => new()
    {
        Task = o.Task,
        Kind = kind,
        At = time.GetUtcNow(),
        By = by,
        Candidate = o.Candidate,
        Model = o.Model,
        Version = o.Version,
        Reason = reason,
        Evidence = evidence,
    };

    private OverrideRefusal UnknownTask(string taskName) =>
        new(404, $"Unknown task '{taskName}'. Known tasks: {string.Join(", ", catalog.Tasks.Select(t => t.Name))}.");

    [LoggerMessage(EventId = 6020, Level = LogLevel.Information, Message = "Task {Task}: candidate {Candidate} promoted by {By} (forced: {Forced}); {Evidence}")]
    private static partial void LogPromoted(ILogger logger, string task, string candidate, string by, bool forced, string evidence);

    [LoggerMessage(EventId = 6021, Level = LogLevel.Information, Message = "Task {Task}: catalog route restored by {By} (candidate {Candidate} no longer serves)")]
    private static partial void LogRestored(ILogger logger, string task, string candidate, string by);

    [LoggerMessage(EventId = 6022, Level = LogLevel.Warning, Message = "Task {Task}: promoted candidate {Candidate} rolled back to the catalog route: {Why}")]
    private static partial void LogRolledBack(ILogger logger, string task, string candidate, string why);
}
