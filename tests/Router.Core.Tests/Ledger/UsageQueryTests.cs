using Router.Core.Ledger;

namespace Router.Core.Tests.Ledger;

public sealed class UsageQueryTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void TryParse_NoParameters_Last24WholeHoursUpToNow()
    {
        Assert.True(UsageQuery.TryParse(null, null, null, null, null, Now, out var query, out _));

        Assert.Equal(new DateTimeOffset(2025, 2, 28, 10, 0, 0, TimeSpan.Zero), query.From);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 11, 0, 0, TimeSpan.Zero), query.To);
        Assert.Empty(query.GroupBy);
    }

    [Fact]
    public void TryParse_GroupByList_ParsedInOrder()
    {
        Assert.True(UsageQuery.TryParse("t", "c", "2025-03-01", "2025-03-02T00:00:00Z", "day, Model,task", Now, out var query, out _));

        Assert.Equal([UsageDimension.Day, UsageDimension.Model, UsageDimension.Task], query.GroupBy);
        Assert.Equal(TimeSpan.FromDays(1), query.To - query.From);
    }

    [Theory]
    [InlineData(null, null, "yesterday", null, null, "from")]
    [InlineData(null, null, null, "2025-13-01", null, "to")]
    [InlineData(null, null, "2025-03-02", "2025-03-01", null, "from")]
    [InlineData(null, null, "2020-01-01", "2025-03-01", null, "to")]
    [InlineData(null, null, null, null, "week", "groupBy")]
    [InlineData(null, null, null, null, "1", "groupBy")]
    [InlineData(null, null, null, null, "hour,day", "groupBy")]
    [InlineData("", null, null, null, null, "task")]
    [InlineData(null, "a\u0001", null, null, null, "client")]
    public void TryParse_BadParameter_NamesIt(string? task, string? client, string? from, string? to, string? groupBy, string parameter)
    {
        Assert.False(UsageQuery.TryParse(task, client, from, to, groupBy, Now, out _, out var error));

        Assert.Equal(parameter, error!.Parameter);
        Assert.StartsWith(parameter, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNarrow_MetadataAndApi_ReadsCallRowsWithinAWeek()
    {
        Assert.True(UsageQuery.TryParse(null, null, "2025-02-27", null, "api", Now, out var query, out _));

        Assert.True(query.ReadsCallRows);
        Assert.True(query.TryNarrow(new Dictionary<string, string> { ["team"] = "search" }, "chat", out var narrowed, out _));
        Assert.Equal("search", narrowed.Metadata["team"]);
        Assert.Equal("chat", narrowed.Api);
        Assert.True(UsageQuery.TryParse(null, null, null, null, "task", Now, out var plain, out _));
        Assert.True(plain.TryNarrow(new Dictionary<string, string>(), null, out var same, out _));
        Assert.False(same.ReadsCallRows);
    }

    [Theory]
    [InlineData("2025-02-01", "team", "search", null, "from")]
    [InlineData(null, "team", "search", "soap", "api")]
    [InlineData(null, "", "search", null, "metadata.")]
    public void TryNarrow_BadFilter_NamesIt(string? from, string key, string value, string? api, string parameter)
    {
        Assert.True(UsageQuery.TryParse(null, null, from, null, null, Now, out var query, out _));

        Assert.False(query.TryNarrow(new Dictionary<string, string> { [key] = value }, api, out _, out var error));

        Assert.Equal(parameter, error!.Parameter);
        Assert.StartsWith(parameter, error.Message, StringComparison.Ordinal);
    }
}
