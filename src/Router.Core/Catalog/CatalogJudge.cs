namespace Router.Core.Catalog;

/// <summary>A task's judge: the model that grades candidate answers against the reference, and its rubric.</summary>
public sealed record CatalogJudge(CatalogModel Model, string Rubric)
{
    public const string DefaultRubric = "A good answer says what the reference answer says: the same facts and conclusions, with nothing wrong or missing that matters to the task. Wording, order and length may differ.";
}
