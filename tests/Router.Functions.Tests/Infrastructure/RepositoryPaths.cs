namespace Router.Functions.Tests.Infrastructure;

internal static class RepositoryPaths
{
    /// <summary>The folder holding Router.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Router.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Router.sln not found above " + AppContext.BaseDirectory);
    }
}
