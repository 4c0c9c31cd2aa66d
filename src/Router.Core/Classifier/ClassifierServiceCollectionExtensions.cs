using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Router.Core.Ledger;

namespace Router.Core.Classifier;

public static class ClassifierServiceCollectionExtensions
{
    /// <summary>Local classifiers: the served versions, the blob store, the refresher (a hosted service) and training.</summary>
    public static IServiceCollection AddLocalClassifiers(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LocalClassifierOptions>().Bind(configuration.GetSection(LocalClassifierOptions.SectionName))
            .Validate(o => o.RefreshInterval >= TimeSpan.FromMilliseconds(100) && o.RefreshInterval <= TimeSpan.FromHours(1), "Router:LocalClassifier:RefreshInterval must be within 00:00:00.1..01:00:00.")
            .ValidateOnStart();
        services.AddSingleton<LocalClassifiers>();
        services.TryAddSingleton(CreateBlobServiceClient); // Try: a test may bring its own client
        services.AddSingleton<ClassifierArtefactStore>();
        services.AddSingleton<ClassifierRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<ClassifierRefresher>());
        services.AddSingleton<ClassifierTrainingService>();
        services.AddSingleton<AutoTrainer>();
        return services;
    }

    /// <summary>From the storage connection string (Azurite needs its BlobEndpoint in it), else BlobServiceUri with managed identity.</summary>
    private static BlobServiceClient CreateBlobServiceClient(IServiceProvider services)
    {
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            return new BlobServiceClient(storage.ConnectionString);
        }

        TokenCredential credential = storage.ManagedIdentityClientId is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        var uri = storage.BlobServiceUri is { Length: > 0 } blob
            ? new Uri(blob)
            : new Uri(storage.TableServiceUri!.Replace(".table.", ".blob.", StringComparison.OrdinalIgnoreCase));
        return new BlobServiceClient(uri, credential);
    }
}
