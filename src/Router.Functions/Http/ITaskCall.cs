namespace Router.Functions.Http;

/// <summary>A parsed call body that names the task it is for.</summary>
public interface ITaskCall
{
    string Task { get; }
}
