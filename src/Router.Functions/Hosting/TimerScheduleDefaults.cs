using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Router.Core.Distillation;
using Router.Core.Ledger.Fleet;

namespace Router.Functions.Hosting;

/// <summary>
/// The default of every setting a timer function's schedule refers to (<c>%Setting%</c>), so a
/// catalog that omits one still starts with the documented schedule. A new timer adds its setting
/// here; <c>TimerScheduleDefaultsTests</c> fails for a timer whose setting has no default. In the
/// Functions host the host itself resolves <c>%Setting%</c> from app settings, which infra/ always sets.
/// </summary>
public static class TimerScheduleDefaults
{
    public static IReadOnlyDictionary<string, string> Values { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [DistillationOptions.SectionName + ":" + nameof(DistillationOptions.Schedule)] = DistillationOptions.DefaultSchedule,
        [CompactionOptions.SectionName + ":" + nameof(CompactionOptions.Schedule)] = CompactionOptions.DefaultSchedule,
    };

    /// <summary>Adds the defaults as the lowest-priority source: the catalog file, app settings and the environment all win over them.</summary>
    public static IConfigurationManager AddTimerScheduleDefaults(this IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value)) });
        return configuration;
    }
}
