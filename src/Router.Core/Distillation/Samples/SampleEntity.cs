using System.Text.Json;
using Azure.Data.Tables;
using Router.Core.Routing;

namespace Router.Core.Distillation.Samples;

/// <summary>Maps <see cref="TrainingSample"/> to and from RouterSamples rows (messages as a JSON column).</summary>
public static class SampleEntity
{

    public static TableEntity ToEntity(TrainingSample sample, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var entity = new TableEntity(SampleKeys.Partition(sample.Task, sample.InputHash, shardCount), SampleKeys.Row(sample.InputHash))
        {
            ["Task"] = sample.Task,
            ["CallId"] = sample.CallId,
            ["CapturedAt"] = sample.CapturedAt,
            ["PromptVersion"] = sample.PromptVersion,
            ["Model"] = sample.Model,
            ["Messages"] = SerializeMessages(sample.Messages),
            ["Output"] = sample.Output,
        };
        if (sample.Tools.Count > 0)
        {
            entity["Tools"] = JsonSerializer.Serialize(sample.Tools, SampleJsonContext.Default.IReadOnlyListToolDefinition);
        }

        if (sample.OutputToolCalls.Count > 0)
        {
            entity["OutputToolCalls"] = JsonSerializer.Serialize(sample.OutputToolCalls, SampleJsonContext.Default.IReadOnlyListToolCall);
        }

        return entity;
    }

    public static TrainingSample FromEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new TrainingSample
        {
            Task = entity.GetString("Task"),
            InputHash = entity.RowKey,
            CallId = entity.GetString("CallId"),
            CapturedAt = entity.GetDateTimeOffset("CapturedAt") ?? default,
            PromptVersion = entity.GetString("PromptVersion"),
            Model = entity.GetString("Model"),
            Messages = JsonSerializer.Deserialize(entity.GetString("Messages") ?? "[]", SampleJsonContext.Default.ListCallerMessage) ?? [],
            Output = entity.GetString("Output") ?? string.Empty,
            Tools = entity.GetString("Tools") is { } tools ? JsonSerializer.Deserialize(tools, SampleJsonContext.Default.ListToolDefinition) ?? [] : [],
            OutputToolCalls = entity.GetString("OutputToolCalls") is { } calls ? JsonSerializer.Deserialize(calls, SampleJsonContext.Default.ListToolCall) ?? [] : [],
        };
    }

    public static string SerializeMessages(IReadOnlyList<CallerMessage> messages) => JsonSerializer.Serialize(messages, SampleJsonContext.Default.IReadOnlyListCallerMessage);
}
