namespace Router.Core.Catalog;

public sealed record FewShotExample(string Input, string Output);
