namespace Router.Functions.Api;

/// <summary>The body of POST /api/route.</summary>
public sealed record NativeRouteRequest(string Task, string Input, string? Context, int? MaxOutputTokens, double? Temperature) : Http.ITaskCall;
