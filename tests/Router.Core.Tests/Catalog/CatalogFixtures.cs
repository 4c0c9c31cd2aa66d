using Router.Core.Catalog;

namespace Router.Core.Tests.Catalog;

internal static class CatalogFixtures
{
    public static RouterOptions Options() => new()
    {
        Models =
        {
            ["large"] = Model("gpt-4o", 2.50m, 1.25m, 10.00m),
            ["small"] = Model("gpt-4o-mini-ft", 0.30m, 0.15m, 1.20m),
        },
        Tasks =
        {
            ["triage"] = new TaskOptions
            {
                Kind = "classification",
                Route = "small",
                Large = new LargePromptOptions
                {
                    Model = "large",
                    System = "Label the ticket.",
                    Examples = [new FewShotExampleOptions { Input = "charged twice", Output = "billing" }],
                },
                Small = new SmallPromptOptions { Model = "small", System = "Triage." },
                Output = new OutputRuleOptions { Labels = ["billing", "bug"] },
            },
        },
    };

    public static ModelOptions Model(string deployment, decimal input, decimal cached, decimal output) => new()
    {
        Kind = "azure-openai",
        Endpoint = "https://example.openai.azure.com/",
        Deployment = deployment,
        Auth = "key",
        ApiKey = "k",
        Prices = new PriceOptions { InputPerMillion = input, CachedInputPerMillion = cached, OutputPerMillion = output, EffectiveDate = new DateOnly(2024, 10, 1) },
    };

    public static TaskCatalog Catalog(RouterOptions? options = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options ?? Options()), new TokenCounter());
}
