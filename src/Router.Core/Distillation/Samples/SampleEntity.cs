using System.Text.Json;
using Azure.Data.Tables;
using Router.Core.Routing;

namespace Router.Core.Distillation.Samples;

/// <summary>Maps <see cref="TrainingSample"/> to and from RouterSamples rows (messages as a JSON column).</summary>
public static class SampleEntity
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static TableEntity ToEntity(TrainingSample sample, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return new TableEntity(SampleKeys.Partition(sample.Task, sample.InputHash, shardCount), SampleKeys.Row(sample.InputHash))
        {
            ["Task"] = sample.Task,
            ["CallId"] = sample.CallId,
            ["CapturedAt"] = sample.CapturedAt,
            ["PromptVersion"] = sample.PromptVersion,
            ["Model"] = sample.Model,
            ["Messages"] = SerializeMessages(sample.Messages),
            ["Output"] = sample.Output,
        };
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
            Messages = JsonSerializer.Deserialize<List<CallerMessage>>(entity.GetString("Messages") ?? "[]", Json) ?? [],
            Output = entity.GetString("Output") ?? string.Empty,
        };
    }

    public static string SerializeMessages(IReadOnlyList<CallerMessage> messages) => JsonSerializer.Serialize(messages, Json);
}
