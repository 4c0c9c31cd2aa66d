using Router.Core.Catalog;

namespace Router.Functions.Http;

/// <summary>A parsed call body that names the task it is for.</summary>
public interface ITaskCall
{
    string Task { get; }

    /// <summary>What the body asks that the resolved task cannot give (say reasoning_effort on a plain deployment); null when nothing.</summary>
    RequestError? CheckAgainst(CatalogTask task) => null;
}
