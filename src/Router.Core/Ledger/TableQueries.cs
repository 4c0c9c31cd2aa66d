using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace Router.Core.Ledger;

internal static class TableQueries
{
    /// <summary>Rows matching the filter; none when the table does not exist yet (nothing has been written to it).</summary>
    public static async IAsyncEnumerable<TableEntity> QueryOrEmptyAsync(this TableClient table, string? filter, IEnumerable<string>? select, [EnumeratorCancellation] CancellationToken cancellationToken, int maxPerPage = 1_000)
    {
        var pages = table.QueryAsync<TableEntity>(filter, maxPerPage: maxPerPage, select: select, cancellationToken: cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                Page<TableEntity> page;
                try
                {
                    if (!await pages.MoveNextAsync())
                    {
                        yield break;
                    }

                    page = pages.Current;
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    yield break;
                }

                foreach (var entity in page.Values)
                {
                    yield return entity;
                }
            }
        }
        finally
        {
            await pages.DisposeAsync();
        }
    }
}
