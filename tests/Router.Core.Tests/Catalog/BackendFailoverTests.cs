using Router.Core.Catalog;

namespace Router.Core.Tests.Catalog;

public sealed class BackendFailoverTests
{
    private readonly RouterOptionsValidator _validator = new();

    [Fact]
    public void Catalog_Backends_OrderedByPriorityThenConfigurationOrderAndInheritModelSettings()
    {
        var options = CatalogFixtures.Options();
        var large = options.Models.First().Value;
        large.Backends =
        [
            new BackendOptions { Endpoint = "https://c.example/", Priority = 5 },
            new BackendOptions { Endpoint = "https://a.example/", Priority = 1, Deployment = "gpt-4o-eu", ApiKey = "key-a" },
            new BackendOptions { Endpoint = "https://b.example/", Priority = 1 },
        ];

        var model = CatalogFixtures.Catalog(options).Models.Single(m => m.Name == options.Models.First().Key);

        Assert.Equal(["https://a.example/", "https://b.example/", "https://c.example/"], model.Backends.Select(b => b.Endpoint.ToString()));
        Assert.Equal([1, 2, 0], model.Backends.Select(b => b.BackendIndex!.Value));
        Assert.Equal("gpt-4o-eu", model.Backends[0].Deployment);
        Assert.Equal("key-a", model.Backends[0].ApiKey);
        Assert.Equal(model.Deployment, model.Backends[1].Deployment);
        Assert.Equal(model.ApiKey, model.Backends[1].ApiKey);
        Assert.Equal(model.Prices, model.Backends[2].Prices);
    }

    [Fact]
    public void Validate_BackendWithoutEndpointOrWithPriorityZero_NamesTheSetting()
    {
        var options = CatalogFixtures.Options();
        var (name, large) = options.Models.First();
        large.Backends = [new BackendOptions { Endpoint = "not a url", Priority = 0 }];

        var result = _validator.Validate(null, options);

        Assert.Contains($"Router:Models:{name}:Backends:0:Endpoint", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"Router:Models:{name}:Backends:0:Priority", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void HttpClientName_EachBackendHasItsOwnClient()
    {
        Assert.Equal("router-model-large", BackendFailover.HttpClientName("Large", null));
        Assert.Equal("router-model-large-backend-1", BackendFailover.HttpClientName("large", 1));
    }
}
