using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Router.Core.Distillation;
using Router.Core.Ledger;

namespace Router.Core.Promotion;

/// <summary>
/// RouterRouteOverrides: PartitionKey <c>{task}</c>; RowKey <c>current</c> holds the promoted route, rows
/// <c>h-{inverted ticks D19}-{kind}</c> its history (newest first). A promotion replaces <c>current</c> and adds
/// its history row in one transaction; a restore or rollback deletes <c>current</c> (a rollback only the exact
/// promotion it judged, by ETag) and adds its row in one transaction. The only reader and writer of the table.
/// </summary>
public sealed class RouteOverrideStore(TableServiceClient service, IOptions<StorageOptions> storage)
{
    public const string CurrentRow = "current";

    private readonly TableClient _table = service.GetTableClient(storage.Value.RouteOverridesTable);
    private volatile bool _created;

    /// <summary>Every task's promoted route.</summary>
    public async Task<IReadOnlyList<RouteOverride>> ReadCurrentAsync(CancellationToken cancellationToken)
    {
        var found = new List<RouteOverride>();
        await foreach (var entity in _table.QueryOrEmptyAsync(TableClient.CreateQueryFilter($"RowKey eq {CurrentRow}"), select: null, cancellationToken))
        {
            found.Add(ToOverride(entity));
        }

        return found;
    }

    /// <summary>The task's lifecycle, newest first, at most <paramref name="max"/> steps.</summary>
    public async Task<IReadOnlyList<RouteOverrideEvent>> ReadHistoryAsync(string task, int max, CancellationToken cancellationToken)
    {
        var found = new List<RouteOverrideEvent>();
        await foreach (var entity in _table.QueryOrEmptyAsync(TableClient.CreateQueryFilter($"PartitionKey eq {task} and RowKey ge {"h-"} and RowKey lt {"h."}"), select: null, cancellationToken))
        {
            found.Add(ToEvent(entity));
            if (found.Count >= max)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>Stores <paramref name="promotion"/> as the task's route (replacing any other) with its history row; returns it with its ETag.</summary>
    public async Task<RouteOverride> PromoteAsync(RouteOverride promotion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(promotion);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var step = new RouteOverrideEvent
        {
            Task = promotion.Task,
            Kind = RouteOverrideEvent.Promoted,
            At = promotion.PromotedAt,
            By = promotion.PromotedBy,
            Candidate = promotion.Candidate,
            Model = promotion.Model,
            Version = promotion.Version,
            Reason = promotion.Reason,
            Forced = promotion.Forced,
            Evidence = promotion.Evidence,
        };
        var current = ToEntity(promotion);
        var responses = await _table.SubmitTransactionAsync(
            [new TableTransactionAction(TableTransactionActionType.UpsertReplace, current), new TableTransactionAction(TableTransactionActionType.Add, ToEntity(step))],
            cancellationToken).ConfigureAwait(false);
        return promotion with { ETag = responses.Value[0].Headers.ETag ?? ETag.All };
    }

    /// <summary>
    /// Removes the task's promoted route and records why. With <paramref name="only"/> (a rollback) only that
    /// exact promotion is removed; false when it is gone or was replaced meanwhile (another instance acted first).
    /// </summary>
    public async Task<bool> RemoveAsync(RouteOverrideEvent step, RouteOverride? only, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(step.Task, CurrentRow), only?.ETag ?? ETag.All), new TableTransactionAction(TableTransactionActionType.Add, ToEntity(step))],
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    private static TableEntity ToEntity(RouteOverride o)
    {
        var entity = new TableEntity(o.Task, CurrentRow)
        {
            ["Candidate"] = o.Candidate,
            ["Model"] = o.Model,
            ["Version"] = o.Version,
            ["PromotedBy"] = o.PromotedBy,
            ["PromotedAt"] = o.PromotedAt,
            ["Reason"] = o.Reason,
            ["Forced"] = o.Forced,
            ["BaselineLiveSamples"] = o.Baseline.LiveSamples,
            ["BaselineLiveAgreements"] = o.Baseline.LiveAgreements,
            ["BaselineRouteCalls"] = o.Baseline.RouteCalls,
            ["BaselineRouteCascades"] = o.Baseline.RouteCascades,
        };
        AddEvidence(entity, o.Evidence);
        return entity;
    }

    private static TableEntity ToEntity(RouteOverrideEvent e)
    {
        var rowKey = string.Create(CultureInfo.InvariantCulture, $"h-{DateTimeOffset.MaxValue.UtcTicks - e.At.UtcTicks:D19}-{e.Kind}");
        var entity = new TableEntity(e.Task, rowKey)
        {
            ["Kind"] = e.Kind,
            ["At"] = e.At,
            ["By"] = e.By,
            ["Candidate"] = e.Candidate,
            ["Model"] = e.Model,
            ["Version"] = e.Version,
            ["Reason"] = e.Reason,
            ["Forced"] = e.Forced,
        };
        AddEvidence(entity, e.Evidence);
        return entity;
    }

    private static void AddEvidence(TableEntity entity, PromotionEvidence? evidence)
    {
        if (evidence is null)
        {
            return;
        }

        entity["Samples"] = evidence.Samples;
        entity["Agreements"] = evidence.Agreements;
        entity["AgreementRate"] = evidence.AgreementRate;
        entity["AgreementLower"] = evidence.AgreementLower;
        entity["AgreementUpper"] = evidence.AgreementUpper;
        entity["QualityBar"] = evidence.QualityBar;
        if (evidence.CostPerCall is { } cost)
        {
            entity["CostPerCallNanoUsd"] = (long)decimal.Round(cost * 1_000_000_000m);
        }
    }

    private static PromotionEvidence? ReadEvidence(TableEntity entity) =>
        entity.GetInt64("Samples") is { } samples
            ? new PromotionEvidence(
                samples,
                entity.GetInt64("Agreements") ?? 0,
                entity.GetDouble("AgreementRate") ?? 0,
                entity.GetDouble("AgreementLower") ?? 0,
                entity.GetDouble("AgreementUpper") ?? 1,
                entity.GetInt64("CostPerCallNanoUsd") is { } nano ? nano / 1_000_000_000m : null,
                entity.GetDouble("QualityBar") ?? 0)
            : null;

    private static RouteOverride ToOverride(TableEntity entity) => new()
    {
        Task = entity.PartitionKey,
        Candidate = entity.GetString("Candidate") ?? string.Empty,
        Model = entity.GetString("Model") ?? string.Empty,
        Version = entity.GetString("Version"),
        PromotedBy = entity.GetString("PromotedBy") ?? string.Empty,
        PromotedAt = entity.GetDateTimeOffset("PromotedAt") ?? default,
        Reason = entity.GetString("Reason") ?? string.Empty,
        Forced = entity.GetBoolean("Forced") ?? false,
        Evidence = ReadEvidence(entity) ?? new PromotionEvidence(0, 0, 0, 0, 1, null, 0),
        Baseline = new PromotionBaseline(
            entity.GetInt64("BaselineLiveSamples") ?? 0,
            entity.GetInt64("BaselineLiveAgreements") ?? 0,
            entity.GetInt64("BaselineRouteCalls") ?? 0,
            entity.GetInt64("BaselineRouteCascades") ?? 0),
        ETag = entity.ETag,
    };

    private static RouteOverrideEvent ToEvent(TableEntity entity) => new()
    {
        Task = entity.PartitionKey,
        Kind = entity.GetString("Kind") ?? string.Empty,
        At = entity.GetDateTimeOffset("At") ?? default,
        By = entity.GetString("By") ?? string.Empty,
        Candidate = entity.GetString("Candidate") ?? string.Empty,
        Model = entity.GetString("Model") ?? string.Empty,
        Version = entity.GetString("Version"),
        Reason = entity.GetString("Reason") ?? string.Empty,
        Forced = entity.GetBoolean("Forced") ?? false,
        Evidence = ReadEvidence(entity),
    };

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _created = true;
        }
    }
}
