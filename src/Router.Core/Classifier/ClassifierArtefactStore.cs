using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Router.Core.Ledger;

namespace Router.Core.Classifier;

/// <summary>
/// Trained local classifiers in Blob Storage (container <c>router-models</c>):
/// <c>{model}/{version}/model.zip</c> and <c>{model}/{version}/metrics.json</c>, written once and never
/// overwritten (a version is a content hash, so an existing blob is the same model), and the pointer
/// <c>{model}/current.json</c> naming the version the model serves, which every instance polls.
/// </summary>
public sealed class ClassifierArtefactStore(BlobServiceClient blobs, IOptions<StorageOptions> storage)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly BlobContainerClient _container = blobs.GetBlobContainerClient(storage.Value.ModelsContainer);
    private volatile bool _created;

    public static string ModelBlob(string model, string version) => $"{model}/{version}/model.zip";

    public static string MetricsBlob(string model, string version) => $"{model}/{version}/metrics.json";

    public static string PointerBlob(string model) => $"{model}/current.json";

    /// <summary>Stores a version's model and metrics unless they exist already (same hash, same model).</summary>
    public async Task SaveAsync(TrainedArtefact artefact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artefact);
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var info = artefact.Info;
        await UploadOnceAsync(ModelBlob(info.Model, info.Version), BinaryData.FromBytes(artefact.Model), cancellationToken).ConfigureAwait(false);
        await UploadOnceAsync(MetricsBlob(info.Model, info.Version), BinaryData.FromObjectAsJson(info, Json), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Points the model at a stored version (the only blob that is ever replaced).</summary>
    public async Task SetCurrentAsync(string model, string version, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var pointer = BinaryData.FromObjectAsJson(new ClassifierPointer(version), Json);
        await _container.GetBlobClient(PointerBlob(model)).UploadAsync(pointer, overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The version the model serves; null when it was never trained (or the container does not exist yet).</summary>
    public async Task<string?> GetCurrentAsync(string model, CancellationToken cancellationToken)
    {
        try
        {
            var content = await _container.GetBlobClient(PointerBlob(model)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<ClassifierPointer>(Json)?.Version;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<Stream> OpenModelAsync(string model, string version, CancellationToken cancellationToken)
    {
        var content = await _container.GetBlobClient(ModelBlob(model, version)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return content.Value.Content.ToStream();
    }

    public async Task<ClassifierVersionInfo?> GetInfoAsync(string model, string version, CancellationToken cancellationToken)
    {
        try
        {
            var content = await _container.GetBlobClient(MetricsBlob(model, version)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<ClassifierVersionInfo>(Json);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private async Task UploadOnceAsync(string name, BinaryData content, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlobClient(name).UploadAsync(content, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Already stored: the name is the content hash, so it is the same artefact.
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _created = true;
        }
    }
}

/// <summary>The content of <c>{model}/current.json</c>.</summary>
public sealed record ClassifierPointer(string Version);
