using Router.Core.Catalog;

namespace Router.Core.Tests.Catalog;

public sealed class RouterOptionsValidatorTests
{
    private readonly RouterOptionsValidator _validator = new();

    [Fact]
    public void Validate_SampleCatalog_Succeeds()
    {
        var result = _validator.Validate(null, CatalogFixtures.Options());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_SmallRouteWithoutSmallSection_NamesTheSetting()
    {
        var options = CatalogFixtures.Options();
        options.Tasks["triage"].Small = null;

        var result = _validator.Validate(null, options);

        Assert.Contains("Router:Tasks:triage:Small: the task routes to small", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InvalidJsonSchema_NamesTheSetting()
    {
        var options = CatalogFixtures.Options();
        options.Tasks["triage"].Output = new OutputRuleOptions { JsonSchema = "{not json" };

        var result = _validator.Validate(null, options);

        Assert.Contains("Router:Tasks:triage:Output:JsonSchema", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UppercaseTaskName_IsRefusedBecauseItGoesIntoTableKeys()
    {
        var options = CatalogFixtures.Options();
        options.Tasks["Bad_Name"] = options.Tasks["triage"];

        var result = _validator.Validate(null, options);

        Assert.Contains("Router:Tasks:Bad_Name: the task name must be lowercase", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingPriceDate_NamesTheSetting()
    {
        var options = CatalogFixtures.Options();
        options.Models["large"].Prices.EffectiveDate = null;

        var result = _validator.Validate(null, options);

        Assert.Contains("Router:Models:large:Prices:EffectiveDate", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DeadlineAboveFunctionsLimit_IsRefused()
    {
        var options = CatalogFixtures.Options();
        options.RequestTimeout = TimeSpan.FromSeconds(240);

        var result = _validator.Validate(null, options);

        Assert.Contains("Router:RequestTimeout", result.FailureMessage, StringComparison.Ordinal);
    }
}
