using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Router.Functions.Http;

namespace Router.Functions.Hosting;

/// <summary>
/// Standalone mode: serves each HTTP function at the route and methods its attributes give,
/// creating the function class from DI per request as the Functions worker does. Functions
/// take the HttpRequest, route values as strings, and return IActionResult.
/// </summary>
public static class FunctionEndpointMapper
{
    /// <summary>One shared descriptor: constructing one per request costs a Guid and a few allocations.</summary>
    private static readonly ActionDescriptor SharedDescriptor = new();

    public static IEndpointRouteBuilder MapHttpFunctions(this IEndpointRouteBuilder endpoints, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var function in HttpFunctionDescriptor.Discover(assembly))
        {
            var invoke = CreateInvoker(function.Method);
            endpoints.MapMethods($"/{HttpFunctionDescriptor.RoutePrefix}/{function.Route}", function.Methods, invoke).WithDisplayName(function.Name);
        }

        return endpoints;
    }

    private static RequestDelegate CreateInvoker(MethodInfo method)
    {
        var type = method.DeclaringType!;
        var factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(type, Type.EmptyTypes);
        var parameters = method.GetParameters();
        foreach (var parameter in parameters)
        {
            if (parameter.ParameterType != typeof(HttpRequest) && parameter.ParameterType != typeof(string) && parameter.ParameterType != typeof(CancellationToken))
            {
                throw new InvalidOperationException($"Function {type.Name}.{method.Name}: parameter '{parameter.Name}' of type {parameter.ParameterType.Name} cannot be bound in standalone mode.");
            }
        }

        return async context =>
        {
            try
            {
                await InvokeAsync(context, method, factory, parameters);
            }
            catch (Exception ex)
            {
                // The one catch-all of standalone mode: a 500 in the API's envelope, never the exception (not even in Development).
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UnhandledFailure).FullName!);
                await UnhandledFailure.WriteAsync(context, ex, logger);
            }
        };
    }

    private static async Task InvokeAsync(HttpContext context, MethodInfo method, ObjectFactory? factory, ParameterInfo[] parameters)
    {
        var arguments = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            arguments[i] = parameter.ParameterType == typeof(HttpRequest) ? context.Request
                : parameter.ParameterType == typeof(CancellationToken) ? context.RequestAborted
                : context.Request.RouteValues[parameter.Name!]?.ToString();
        }

        var instance = factory?.Invoke(context.RequestServices, null);
        try
        {
            var returned = method.Invoke(instance, arguments);
            var result = returned switch
            {
                Task<IActionResult> task => await task,
                IActionResult action => action,
                Task task => await AwaitPlain(task),
                _ => null,
            };
            if (result is not null)
            {
                await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), SharedDescriptor));
            }
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }

    private static async Task<IActionResult?> AwaitPlain(Task task)
    {
        await task;
        return null;
    }
}
