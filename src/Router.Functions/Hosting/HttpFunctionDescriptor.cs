using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Router.Functions.Hosting;

/// <summary>An HTTP-triggered function as the Functions host sees it: name, route (under /api) and methods.</summary>
public sealed record HttpFunctionDescriptor(string Name, string Route, IReadOnlyList<string> Methods, MethodInfo Method)
{
    public const string RoutePrefix = "api";

    /// <summary>Every [Function] with an [HttpTrigger] in the assembly, read the same way the Functions SDK reads them.</summary>
    public static IReadOnlyList<HttpFunctionDescriptor> Discover(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var found = new List<HttpFunctionDescriptor>();
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                var function = method.GetCustomAttribute<FunctionAttribute>();
                var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);
                if (function is null || trigger is null)
                {
                    continue;
                }

                var methods = (trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant()).ToArray();
                found.Add(new HttpFunctionDescriptor(function.Name, trigger.Route ?? function.Name, methods, method));
            }
        }

        return found;
    }
}
