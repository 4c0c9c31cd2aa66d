using System.Text.Json;

namespace Router.Core.Distillation.Reporting;

/// <summary>
/// How reports travel (API, RouterReports column, webhook): camelCase, and nulls kept, because a
/// null payback or break-even means "never" and a reader should see the field, not miss it.
/// </summary>
public static class DistillationJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = false };
}
