using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace Router.Functions.Tests.Infrastructure;

/// <summary>A router whose Table Storage client runs a test's fault policy on every request to a real Azurite.</summary>
internal static class FaultyStorageRouter
{
    public static Task<RouterServer> StartAsync(AzuriteServer azurite, Uri emulator, HttpPipelinePolicy fault, Action<Dictionary<string, string?>>? adjust = null)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0; // the ledger's own Polly pipeline does the retrying
        options.AddPolicy(fault, HttpPipelinePosition.PerRetry);
        var settings = RouterServer.DefaultSettings(azurite.ConnectionString, emulator);
        adjust?.Invoke(settings);
        return RouterServer.StartAsync(settings, services => services.AddSingleton(new TableServiceClient(azurite.ConnectionString, options)));
    }
}
