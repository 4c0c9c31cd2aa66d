using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Router.Functions.Tests.Telemetry;

/// <summary>Every LoggerMessage of the app has an event id of its own, so a log query by id finds one kind of line.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void LoggerMessages_CoreAndFunctions_EveryEventIdIsUsedOnce()
    {
        var messages = new[] { typeof(Router.Core.Catalog.TaskCatalog).Assembly, typeof(Router.Functions.Hosting.StandaloneHost).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToList();

        Assert.True(messages.Count > 30, $"only {messages.Count} LoggerMessage methods found");
        var duplicates = messages.GroupBy(x => x.Attribute!.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Method.DeclaringType!.Name + "." + x.Method.Name))}")
            .ToList();
        Assert.Empty(duplicates);
    }
}
