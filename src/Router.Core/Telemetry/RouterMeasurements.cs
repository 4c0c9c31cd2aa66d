using System.Diagnostics;
using Router.Core.Catalog;
using Router.Core.Ledger;

namespace Router.Core.Telemetry;

/// <summary>Records the metrics of one model call from the same <see cref="CallRecord"/> the ledger gets, so both agree.</summary>
public static class RouterMeasurements
{
    /// <param name="modelCallMs">This model call's own upstream time (a record after a fallback sums both attempts).</param>
    public static void RecordModelCall(CallRecord record, CatalogModel model, string? responseModel, string? errorType, double modelCallMs)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(model);
        var tags = new TagList
        {
            { GenAiAttributes.Task, record.Task },
            { GenAiAttributes.Route, record.Route },
            { GenAiAttributes.RequestModel, model.Deployment },
            { GenAiAttributes.Client, record.Client },
        };
        RouterMetrics.Calls.Add(1, tags);
        RouterMetrics.Cost.Add((double)record.CostUsd, tags);
        if (record.Fallback)
        {
            RouterMetrics.Fallbacks.Add(1, tags);
        }

        var duration = GenAiTags(record, model, responseModel, errorType, tokenType: null);
        RouterMetrics.OperationDuration.Record(modelCallMs / 1000d, duration);
        if (errorType is not null && record.InputTokens == 0 && record.OutputTokens == 0)
        {
            // No usage came back: there is nothing to count, and a zero would skew the histogram.
            return;
        }

        RouterMetrics.TokenUsage.Record(record.InputTokens, GenAiTags(record, model, responseModel, errorType, GenAiAttributes.InputTokenType));
        RouterMetrics.TokenUsage.Record(record.OutputTokens, GenAiTags(record, model, responseModel, errorType, GenAiAttributes.OutputTokenType));
    }

    private static TagList GenAiTags(CallRecord record, CatalogModel model, string? responseModel, string? errorType, string? tokenType)
    {
        var tags = new TagList
        {
            { GenAiAttributes.OperationName, GenAiAttributes.ChatOperation },
            { GenAiAttributes.ProviderName, RouterActivities.ProviderName(model.Kind) },
            { GenAiAttributes.RequestModel, model.Deployment },
            { GenAiAttributes.Task, record.Task },
            { GenAiAttributes.Client, record.Client },
        };
        if (responseModel is not null)
        {
            tags.Add(GenAiAttributes.ResponseModel, responseModel);
        }

        if (errorType is not null)
        {
            tags.Add(GenAiAttributes.ErrorType, errorType);
        }

        if (tokenType is not null)
        {
            tags.Add(GenAiAttributes.TokenType, tokenType);
        }

        return tags;
    }
}
