namespace Router.Core.Security;

/// <summary>Spend per client on one UTC day by the other router instances (read from storage).</summary>
public interface ISpendSource
{
    Task<OtherSpend> OtherInstancesSpendAsync(DateOnly day, CancellationToken cancellationToken);
}
