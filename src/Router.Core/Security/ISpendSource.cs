namespace Router.Core.Security;

/// <summary>Spend per client on one UTC day by every router instance except this one.</summary>
public interface ISpendSource
{
    Task<IReadOnlyDictionary<string, decimal>> OtherInstancesSpendAsync(DateOnly day, CancellationToken cancellationToken);
}
