using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Router.Core.Ledger.Fleet;

/// <summary>
/// One compactor at a time in standalone mode, where every instance runs the timer (the Functions
/// host's timer is a singleton through its own storage lock): a blob lease on
/// <c>{LocksContainer}/compaction-{rollups table}</c>, renewed while the run lasts. Compaction is
/// idempotent, so the lease saves duplicate work rather than guarding correctness: when Blob Storage
/// cannot be reached the run goes ahead without it (logged); when another instance holds it, this one skips.
/// </summary>
public sealed partial class CompactionLease(Func<BlobServiceClient> blobs, IOptions<StorageOptions> storage, IOptions<CompactionOptions> options, TimeProvider time, ILogger<CompactionLease> logger)
{
    /// <summary>Runs <paramref name="work"/> under the lease; returns null without running when another instance holds it.</summary>
    public async Task<T?> RunExclusiveAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!options.Value.Enabled)
        {
            return null;
        }

        BlobLeaseClient? lease = null;
        try
        {
            // Resolved on first use: a router whose storage has no Blob endpoint still compacts (without the lease).
            var container = blobs().GetBlobContainerClient(storage.Value.LocksContainer);
            var blob = container.GetBlobClient("compaction-" + storage.Value.RollupsTable.ToLowerInvariant());
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!await blob.ExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                await blob.UploadAsync(BinaryData.FromString("compaction lease"), overwrite: true, cancellationToken).ConfigureAwait(false);
            }

            lease = blob.GetBlobLeaseClient();
            await lease.AcquireAsync(options.Value.LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            LogHeld(logger);
            return null;
        }
#pragma warning disable CA1031 // Blob storage unreachable or refusing: compaction is idempotent, so run without the lease.
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or HttpRequestException or IOException or FormatException or InvalidOperationException)
#pragma warning restore CA1031
        {
            LogNoLease(logger, ex.GetType().Name);
            lease = null;
        }

        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewal = lease is null ? Task.CompletedTask : RenewAsync(lease, renewing.Token);
        try
        {
            return await work(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await renewing.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
            if (lease is not null)
            {
                try
                {
                    await lease.ReleaseAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
                }
                catch (RequestFailedException)
                {
                    // Expired or taken over: it ends by itself.
                }
            }
        }
    }

    private async Task RenewAsync(BlobLeaseClient lease, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.Value.LeaseDuration / 3, time, cancellationToken).ConfigureAwait(false);
                await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (RequestFailedException ex)
        {
            LogNoLease(logger, ex.ErrorCode ?? ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "Rollup compaction skipped: another instance holds the compaction lease")]
    private static partial void LogHeld(ILogger logger);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "Rollup compaction runs without its lease ({Error}); it is idempotent, so a concurrent run only repeats work")]
    private static partial void LogNoLease(ILogger logger, string error);
}
