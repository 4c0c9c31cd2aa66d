namespace Router.Core.Tests.Catalog;

public sealed class TaskCatalogTests
{
    [Fact]
    public void PromptVersion_ChangesWhenAnExampleChanges_AndOnlyThen()
    {
        var first = CatalogFixtures.Catalog();
        var same = CatalogFixtures.Catalog();
        var options = CatalogFixtures.Options();
        options.Tasks["triage"].Large.Examples[0].Output = "bug";
        var changed = CatalogFixtures.Catalog(options);

        first.TryResolve("triage", out var a);
        same.TryResolve("triage", out var b);
        changed.TryResolve("triage", out var c);

        Assert.Equal(a.PromptVersion, b.PromptVersion);
        Assert.NotEqual(a.PromptVersion, c.PromptVersion);
    }

    [Fact]
    public void TryResolve_IsCaseInsensitive_AndUnknownTaskIsNotFound()
    {
        var catalog = CatalogFixtures.Catalog();

        Assert.True(catalog.TryResolve("TRIAGE", out var task));
        Assert.Equal("triage", task.Name);
        Assert.False(catalog.TryResolve("nope", out _));
        Assert.False(catalog.TryResolve(null, out _));
    }

    [Fact]
    public void Labels_AreAppendedToBothSystemPrompts()
    {
        CatalogFixtures.Catalog().TryResolve("triage", out var task);

        Assert.EndsWith("Allowed labels: billing, bug", task.LargeSystem, StringComparison.Ordinal);
        Assert.EndsWith("Allowed labels: billing, bug", task.SmallSystem, StringComparison.Ordinal);
    }
}
