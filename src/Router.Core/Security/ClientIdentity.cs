namespace Router.Core.Security;

/// <summary>Who is calling: the name configured with the key that authenticated the request.</summary>
public sealed record ClientIdentity(string Name, IReadOnlySet<string> Roles)
{
    public bool IsAdmin => Roles.Contains(ClientRoles.Admin);

    public bool IsCaller => Roles.Contains(ClientRoles.Caller) || IsAdmin;
}
