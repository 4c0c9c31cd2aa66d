using Microsoft.Extensions.Configuration;

namespace Router.Functions.Hosting;

public static class RouterConfiguration
{
    public const string DefaultCatalogFile = "catalog.json";

    /// <summary>
    /// Adds the catalog file (Router:CatalogFile, default catalog.json beside the app) under
    /// the environment, so app settings and environment variables still override any value
    /// in it (endpoints, keys, a task's route). A catalog file that was named but is missing
    /// stops the app with the setting's name.
    /// </summary>
    public static IConfigurationManager AddRouterCatalogFile(this IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration["Router:CatalogFile"];
        var file = string.IsNullOrWhiteSpace(configured) ? DefaultCatalogFile : configured;
        var path = Path.IsPathRooted(file) ? file : Path.Combine(AppContext.BaseDirectory, file);
        if (!File.Exists(path))
        {
            if (!string.IsNullOrWhiteSpace(configured))
            {
                throw new InvalidOperationException($"Router:CatalogFile: the file '{path}' does not exist.");
            }

            return configuration;
        }

        // Insert first so every other source (appsettings, environment, command line) wins over the file.
        var sources = configuration.Sources.ToList();
        configuration.Sources.Clear();
        configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        foreach (var source in sources)
        {
            configuration.Sources.Add(source);
        }

        return configuration;
    }
}
