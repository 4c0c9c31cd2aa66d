namespace Router.Core.Ledger;

/// <summary>A bad usage query parameter: which one, and what is wrong with it.</summary>
public sealed record UsageQueryError(string Parameter, string Message);
