using System.Security.Cryptography;
using System.Text;

namespace Router.Core.Ledger.Journal;

/// <summary>
/// Where the journal lives: the configured folder, or <c>{temp}/router-journal/{storage}</c> where
/// {storage} is a hash of the storage account and table names, so a journal is only ever replayed
/// into the tables its records were meant for.
/// </summary>
public static class JournalFolder
{
    public static string Resolve(JournalOptions journal, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(storage);
        if (!string.IsNullOrWhiteSpace(journal.Folder))
        {
            return Path.GetFullPath(journal.Folder);
        }

        var target = $"{storage.ConnectionString ?? storage.TableServiceUri}|{storage.CallsTable}|{storage.RollupsTable}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(target)))[..16];
        return Path.Combine(Path.GetTempPath(), "router-journal", hash);
    }
}
