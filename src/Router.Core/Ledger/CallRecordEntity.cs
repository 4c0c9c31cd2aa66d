using System.Text.Json;
using Azure.Data.Tables;

namespace Router.Core.Ledger;

/// <summary>Maps a <see cref="CallRecord"/> to and from a RouterCalls row.</summary>
public static class CallRecordEntity
{
    /// <summary>Costs are also stored as integer nano-dollars so sums over millions of rows stay exact.</summary>
    public const decimal NanoPerUsd = 1_000_000_000m;

    /// <summary>A cost in whole nano-dollars, rounded the one way every writer uses.</summary>
    public static long NanoUsd(decimal usd) => (long)decimal.Round(usd * NanoPerUsd);

    public static TableEntity ToEntity(CallRecord record, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entity = new TableEntity(LedgerKeys.CallPartition(record.Timestamp, record.Task, record.CallId, shardCount), LedgerKeys.CallRow(record.Timestamp, record.CallId))
        {
            ["CallId"] = record.CallId,
            ["RequestId"] = record.RequestId,
            ["CallTime"] = record.Timestamp,
            ["Task"] = record.Task,
            ["Route"] = record.Route,
            ["Model"] = record.Model,
            ["Deployment"] = record.Deployment,
            ["Client"] = record.Client,
            ["Api"] = record.Api,
            ["Status"] = record.Status,
            ["HttpStatus"] = record.HttpStatus,
            ["InputTokens"] = record.InputTokens,
            ["SystemTokens"] = record.SystemTokens,
            ["ExamplesTokens"] = record.ExamplesTokens,
            ["ContextTokens"] = record.ContextTokens,
            ["CallerTokens"] = record.CallerTokens,
            ["CachedInputTokens"] = record.CachedInputTokens,
            ["OutputTokens"] = record.OutputTokens,
            ["CostUsd"] = (double)record.CostUsd,
            ["CostNanoUsd"] = NanoUsd(record.CostUsd),
            ["PriceVersion"] = record.PriceVersion,
            ["TotalMs"] = record.TotalMs,
            ["UpstreamMs"] = record.UpstreamMs,
            ["OverheadMs"] = record.OverheadMs,
            ["Streamed"] = record.Streamed,
            ["Fallback"] = record.Fallback,
            ["PromptVersion"] = record.PromptVersion,
        };
        if (record.Error is not null)
        {
            entity["Error"] = record.Error;
        }

        if (record.Metadata is { Count: > 0 } metadata)
        {
            // One column, the pairs as a JSON object: at most 16 pairs of 64 + 512 characters, far below a property's 64 KiB.
            entity["Metadata"] = JsonSerializer.Serialize(metadata, LedgerJsonContext.Default.IReadOnlyDictionaryStringString);
        }

        if (record.FallbackReason is not null)
        {
            entity["FallbackReason"] = record.FallbackReason;
        }

        if (record.OutputViolation is not null)
        {
            entity["OutputViolation"] = record.OutputViolation;
        }

        if (record.UsageEstimated)
        {
            entity["UsageEstimated"] = true;
        }

        if (record.TimeToFirstTokenMs is { } ttft)
        {
            entity["TtftMs"] = ttft;
        }

        if (record.Shadow is { } shadow)
        {
            entity["Candidate"] = shadow.Candidate;
            entity["ShadowScored"] = shadow.Scored;
            entity["ShadowValid"] = shadow.Valid;
            entity["ShadowAgreed"] = shadow.Agreed;
            entity["ShadowScore"] = shadow.Score;
            if (shadow.Judge)
            {
                entity["ShadowJudge"] = true;
            }

        }

        return entity;
    }

    public static CallRecord FromEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new CallRecord
        {
            CallId = entity.GetString("CallId"),
            RequestId = entity.GetString("RequestId"),
            Timestamp = entity.GetDateTimeOffset("CallTime") ?? default,
            Task = entity.GetString("Task"),
            Route = entity.GetString("Route"),
            Model = entity.GetString("Model"),
            Deployment = entity.GetString("Deployment"),
            Client = entity.GetString("Client"),
            Api = entity.GetString("Api"),
            Metadata = entity.GetString("Metadata") is { } metadata ? JsonSerializer.Deserialize(metadata, LedgerJsonContext.Default.DictionaryStringString) : null,
            Status = entity.GetString("Status"),
            HttpStatus = entity.GetInt32("HttpStatus") ?? 0,
            Error = entity.GetString("Error"),
            InputTokens = entity.GetInt32("InputTokens") ?? 0,
            SystemTokens = entity.GetInt32("SystemTokens") ?? 0,
            ExamplesTokens = entity.GetInt32("ExamplesTokens") ?? 0,
            ContextTokens = entity.GetInt32("ContextTokens") ?? 0,
            CallerTokens = entity.GetInt32("CallerTokens") ?? 0,
            CachedInputTokens = entity.GetInt32("CachedInputTokens") ?? 0,
            OutputTokens = entity.GetInt32("OutputTokens") ?? 0,
            CostUsd = (entity.GetInt64("CostNanoUsd") ?? 0) / NanoPerUsd,
            PriceVersion = entity.GetString("PriceVersion"),
            TotalMs = entity.GetDouble("TotalMs") ?? 0,
            UpstreamMs = entity.GetDouble("UpstreamMs") ?? 0,
            OverheadMs = entity.GetDouble("OverheadMs") ?? 0,
            TimeToFirstTokenMs = entity.GetDouble("TtftMs"),
            Streamed = entity.GetBoolean("Streamed") ?? false,
            Fallback = entity.GetBoolean("Fallback") ?? false,
            FallbackReason = entity.GetString("FallbackReason"),
            OutputViolation = entity.GetString("OutputViolation"),
            UsageEstimated = entity.GetBoolean("UsageEstimated") ?? false,
            PromptVersion = entity.GetString("PromptVersion"),
            Shadow = entity.GetString("Candidate") is { } candidate
                ? new ShadowEvaluation(candidate, entity.GetBoolean("ShadowScored") ?? false, entity.GetBoolean("ShadowValid") ?? false, entity.GetBoolean("ShadowAgreed") ?? false, entity.GetDouble("ShadowScore") ?? 0, entity.GetBoolean("ShadowJudge") ?? false)
                : null,
        };
    }
}
