using Microsoft.Extensions.Options;
using Router.Core.Security;

namespace Router.Core.Tests.Security;

public sealed class ClientAuthenticatorTests
{
    private static ClientAuthenticator Create() => new(Options.Create(new AuthOptions
    {
        Clients =
        [
            new ClientKeyOptions { Name = "app", KeySha256 = ClientAuthenticator.HashKey("app-key"), Roles = ["caller"] },
            new ClientKeyOptions { Name = "ops", KeySha256 = ClientAuthenticator.HashKey("ops-key"), Roles = ["caller", "admin"] },
        ],
    }));

    [Fact]
    public void Authenticate_KnownKey_ReturnsItsClientAndRoles()
    {
        var client = Create().Authenticate("ops-key");

        Assert.NotNull(client);
        Assert.Equal("ops", client.Name);
        Assert.True(client.IsAdmin);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("app-key ")]
    [InlineData("APP-KEY")]
    public void Authenticate_UnknownKey_ReturnsNull(string? key) => Assert.Null(Create().Authenticate(key));

    [Theory]
    [InlineData("Bearer k1", null, null, "k1")]
    [InlineData(null, "k2", null, "k2")]
    [InlineData(null, null, "k3", "k3")]
    [InlineData("Basic abc", null, null, null)]
    public void KeyFromHeaders_AcceptsBearerApiKeyAndFunctionsKey(string? authorization, string? apiKey, string? functionsKey, string? expected) =>
        Assert.Equal(expected, ClientAuthenticator.KeyFromHeaders(authorization, apiKey, functionsKey));

    [Fact]
    public void Validator_PlainKeyInsteadOfHash_IsRefused()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { Clients = [new ClientKeyOptions { Name = "a", KeySha256 = "secret" }] });

        Assert.Contains("Router:Auth:Clients:0:KeySha256", result.FailureMessage, StringComparison.Ordinal);
    }
}
