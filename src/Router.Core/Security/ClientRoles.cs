namespace Router.Core.Security;

public static class ClientRoles
{
    public const string Caller = "caller";
    public const string Admin = "admin";
}
