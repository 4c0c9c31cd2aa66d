namespace Router.Functions.Dashboard;

/// <summary>The dashboard's HTML, embedded in the assembly so both host modes serve the same page with no files to deploy.</summary>
public static class DashboardPage
{
    private static readonly Lazy<string> Html = new(() =>
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream("Router.Functions.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("The embedded dashboard page is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string Content => Html.Value;
}
