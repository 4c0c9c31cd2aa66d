using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Router.Core.Catalog;
using Router.Core.Distillation;
using Router.Core.Distillation.Reporting;
using Router.Functions.Tests.Infrastructure;

namespace Router.Functions.Tests.Distillation;

/// <summary>
/// Rollups and samples seeded in Azurite, the report run through <see cref="DistillationReportService"/>
/// with "today" from a FakeTimeProvider. Every expected number is worked out here from the seeded
/// figures and the catalog's prices, so these tests prove the reader and the mapping, not only the formulas.
/// Now = 2026-03-15 07:00 UTC; W = 14, so the window is 2026-03-01 .. 2026-03-14.
/// </summary>
[Collection(SharedServersDefinition.Name)]
public sealed class DistillationReportEndToEndTests(SharedServers stack)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 7, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly WindowStart = new(2026, 3, 1);
    private static readonly DateOnly SmallRetiresOn = new(2026, 3, 20);

    // A large call: 800 system + 1,200 examples (prompt tax 2,000) + 300 caller tokens in, 20 out,
    // costing (2,300 x 2.50 + 20 x 10.00) / 1M = 0.00575 + 0.0002 = $0.00595 = 5,950,000 nano-USD.
    private static readonly PerCall LargeCall = new(800, 1_200, 300, 20, 5_950_000);

    // Tokens of "Triage the ticket." (the small system prompt) and of the large system prompt, o200k encoding.
    private const long S = 5;
    private const long L = 14;

    [Fact]
    public async Task RunAsync_SeededRollupsAndSamples_EveryScenarioMatchesHandComputedNumbers()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var settings = DistillationTestCatalog.Settings(stack.Azurite.ConnectionString, suffix, SmallRetiresOn);
        await using var services = DistillationTestCatalog.Services(settings, new FakeTimeProvider(Now));
        var catalog = services.GetRequiredService<TaskCatalog>();
        string Version(string task) => catalog.Tasks.Single(t => t.Name == task).PromptVersion;
        Assert.Equal(S, catalog.Tasks.Single(t => t.Name == "ready").SmallSystemTokens);
        Assert.Equal(L, catalog.Tasks.Single(t => t.Name == "distilled").LargeSystemTokens);

        var rollups = DistillationTestCatalog.Table(stack.Azurite.ConnectionString, "Rollups" + suffix);
        var samples = DistillationTestCatalog.Table(stack.Azurite.ConnectionString, "Samples" + suffix);

        // ready: the current prompt since 2026-02-25 (before the window; older rows carry another version).
        await DistillationTestCatalog.SeedDailyAsync(rollups, "ready", "large", "large", new DateOnly(2026, 2, 20), 5, 20_000, LargeCall, "pv-old");
        await DistillationTestCatalog.SeedDailyAsync(rollups, "ready", "large", "large", new DateOnly(2026, 2, 25), 18, 20_000, LargeCall, Version("ready"));
        // low-volume: 2,000 calls/day, prompt changed on 2026-03-12.
        await DistillationTestCatalog.SeedDailyAsync(rollups, "low-volume", "large", "large", WindowStart, 11, 2_000, LargeCall, "pv-old");
        await DistillationTestCatalog.SeedDailyAsync(rollups, "low-volume", "large", "large", new DateOnly(2026, 3, 12), 3, 2_000, LargeCall, Version("low-volume"));
        foreach (var task in new[] { "few-examples", "knowledge", "retiring" })
        {
            await DistillationTestCatalog.SeedDailyAsync(rollups, task, "large", "large", WindowStart, 14, 20_000, LargeCall, Version(task));
        }

        // distilled: 10,000 small calls/day at a measured $0.00012 (120,000 nano-USD) each, 100 escalations/day.
        await DistillationTestCatalog.SeedDailyAsync(rollups, "distilled", "small", "small", WindowStart, 14, 10_000, new PerCall(S, 0, 300, 20, 120_000), Version("distilled"), escalationsPerDay: 100);
        // ... and its 100 escalations/day fell back to the large model: 100 large calls/day, all fallbacks.
        await DistillationTestCatalog.SeedDailyAsync(rollups, "distilled", "large", "large", WindowStart, 14, 100, LargeCall, Version("distilled"), fallbacksPerDay: 100);
        await DistillationTestCatalog.SeedDailyAsync(rollups, "no-small", "large", "large", WindowStart, 14, 1_000, LargeCall, Version("no-small"));
        // Rows of today (outside the window) and of another task must not be counted.
        await DistillationTestCatalog.SeedDailyAsync(rollups, "ready", "large", "large", new DateOnly(2026, 3, 15), 1, 1_000_000, LargeCall, Version("ready"));

        foreach (var task in new[] { "ready", "low-volume", "knowledge", "retiring" })
        {
            await DistillationTestCatalog.SeedSamplesAsync(samples, task, Version(task), 25);
        }

        await DistillationTestCatalog.SeedSamplesAsync(samples, "few-examples", Version("few-examples"), 8);
        await DistillationTestCatalog.SeedSamplesAsync(samples, "few-examples", "pv-old", 5); // an older prompt's answers are not eligible

        var (run, webhook) = await services.GetRequiredService<DistillationReportService>().RunAsync(CancellationToken.None);
        var reports = run.Reports.ToDictionary(r => r.Task);

        Assert.Null(webhook);
        Assert.Equal(Now, run.GeneratedAt);
        Assert.Equal(WindowStart, run.WindowStart);
        Assert.Equal(new DateOnly(2026, 3, 15), run.WindowEnd);

        // Shared by the large-route scenarios (20,000 calls/day unless said otherwise):
        const decimal cL = 0.00595m;                                          // 280,000 x 5,950,000 nano / 280,000 calls
        const decimal cS = ((300m + S) * 0.30m + 20m * 1.20m) / 1_000_000m;   // (305 x 0.30 + 24) / 1M = 0.0001155
        const decimal t = 1_000m * (300m + S + 20m) * 3m * 3.00m / 1_000_000m; // 1,000 x 325 x 3 x 3.00 / 1M = 2.925
        const decimal f = t + 500m;                                           // 502.925
        const decimal h = 1.70m * 24m;                                        // 40.80
        const decimal g = 20_000m * (cL - cS) - h;                            // 20,000 x 0.0058345 - 40.80 = 75.89
        const decimal p = f / g;                                              // 6.627 days
        const decimal vStar = (h + f / 90m) / (cL - cS);                      // (40.80 + 5.588) / 0.0058345 = 7,950.7

        // pays off now
        var ready = reports["ready"];
        Assert.Equal(DistillationVerdict.DistillNow, ready.Verdict);
        Assert.Equal(20_000m, ready.CallsPerDay);                             // 280,000 / 14; today's 1,000,000 left out
        Assert.Equal(cL, ready.LargeCostPerCall);
        Assert.Equal(CostBasis.Measured, ready.LargeCostBasis);
        Assert.Equal(2_000m, ready.PromptTaxTokensPerCall);
        Assert.Equal(Round(cS), Round(ready.SmallCostPerCall));
        Assert.Equal(Round(t), Round(ready.TrainingCost));
        Assert.Equal(Round(f), Round(ready.FixedCost));
        Assert.Equal(h, ready.HostingPerDay);
        Assert.Equal(90, ready.UsefulLifeDays);
        Assert.Equal(Round(g), Round(ready.DailySaving));
        Assert.Equal(Round(p), Round(ready.PaybackDays));
        Assert.Equal(Round(vStar), Round(ready.BreakEvenCallsPerDay));
        Assert.Equal(25, ready.CapturedExamples);
        Assert.Equal(17, ready.PromptStableDays);                             // 2026-02-25 12:00 -> 2026-03-15 07:00 = 17 d 19 h

        // not yet: volume (and the prompt changed 2 days ago)
        var low = reports["low-volume"];
        Assert.Equal(DistillationVerdict.NotYet, low.Verdict);
        Assert.Equal(2_000m, low.CallsPerDay);
        Assert.Equal(Round(2_000m * (cL - cS) - h), Round(low.DailySaving)); // 11.669 - 40.80 = -29.131
        Assert.Null(low.PaybackDays);
        Assert.Equal(2, low.PromptStableDays);                                // since 2026-03-12 12:00
        Assert.Equal(
            [
                $"needs {Math.Ceiling(vStar - 2_000m):#,0} more calls/day (break-even {Math.Ceiling(vStar):#,0} calls/day, now 2,000)",
                "prompt changed 2 days ago; needs 7 days stable",
            ],
            low.Reasons);
        Assert.Equal("needs 5,951 more calls/day (break-even 7,951 calls/day, now 2,000)", low.Reasons[0]);

        // not yet: too few examples (8 of the current prompt; 5 of an older one do not count)
        var few = reports["few-examples"];
        Assert.Equal(DistillationVerdict.NotYet, few.Verdict);
        Assert.Equal(8, few.CapturedExamples);
        Assert.Equal(["needs 12 more examples (have 8 of 20)"], few.Reasons);
        Assert.Equal(Round(g), Round(few.DailySaving));

        // knowledge: never distilled, whatever it would save
        var knowledge = reports["knowledge"];
        Assert.Equal(DistillationVerdict.NotEligible, knowledge.Verdict);
        Assert.Equal(["knowledge task: keep facts in retrieval"], knowledge.Reasons);
        Assert.Equal(Round(g), Round(knowledge.DailySaving));

        // small model retiring before payback: R = 2026-03-20 - 2026-03-15 = 5 days < P = 6.6 days
        var retiring = reports["retiring"];
        const decimal vStarRetiring = (h + f / 5m) / (cL - cS);               // (40.80 + 100.585) / 0.0058345 = 24,232.6
        Assert.Equal(DistillationVerdict.NotEligible, retiring.Verdict);
        Assert.Equal(5, retiring.UsefulLifeDays);
        Assert.Equal(Round(vStarRetiring), Round(retiring.BreakEvenCallsPerDay));
        Assert.Equal([$"small model retires before payback: retires on 2026-03-20 (in 5 days) and payback takes {p:#,0.#} days at 20,000 calls/day; would need {Math.Ceiling(vStarRetiring):#,0} calls/day"], retiring.Reasons);

        // already on small: measured savings against the projected large baseline
        var distilled = reports["distilled"];
        const decimal cLProjected = ((L + 0m + 300m) * 2.50m + 20m * 10.00m) / 1_000_000m; // prompt tax = L system + 0 example tokens
        // The fallbacks' cost is the small requests' cost: (140,000 x 120,000 + 1,400 x 5,950,000) nano / 140,000 requests
        //   = 120,000 + 59,500 = 179,500 nano = $0.0001795; and they are not counted as calls again.
        const decimal measuredSmall = 0.0001795m;
        Assert.Equal(DistillationVerdict.Distilled, distilled.Verdict);
        Assert.Equal(10_000m, distilled.CallsPerDay);                         // 140,000 requests / 14, fallbacks not added
        Assert.Equal(CostBasis.Projected, distilled.LargeCostBasis);
        Assert.Equal(Round(cLProjected), Round(distilled.LargeCostPerCall));
        Assert.Equal(measuredSmall, distilled.MeasuredSmallCostPerCall);
        Assert.Equal(Round(10_000m * (cLProjected - measuredSmall) - h), Round(distilled.MeasuredSavingsPerDay));
        Assert.Equal(0.01m, distilled.CascadeRate);                          // 1,400 / 140,000

        // no Small section and no default candidate
        var noSmall = reports["no-small"];
        Assert.Equal(DistillationVerdict.NotEligible, noSmall.Verdict);
        Assert.Equal(1_000m, noSmall.CallsPerDay);
        Assert.Equal(cL, noSmall.LargeCostPerCall);
        Assert.Equal(["no small deployment configured: add Router:Tasks:no-small:Small or set Router:Distillation:DefaultSmallModel"], noSmall.Reasons);

        // One RouterReports row per task, key numbers as columns.
        var rows = new List<TableEntity>();
        await foreach (var row in DistillationTestCatalog.Table(stack.Azurite.ConnectionString, "Reports" + suffix).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"20260315"}")))
        {
            rows.Add(row);
        }

        Assert.Equal(reports.Keys.Order(StringComparer.Ordinal), rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        var readyRow = rows.Single(r => r.RowKey == "ready");
        Assert.Equal("distill-now", readyRow.GetString("Verdict"));
        Assert.Equal(20_000d, readyRow.GetDouble("CallsPerDay"));
        Assert.Equal((double)vStar, readyRow.GetDouble("BreakEvenCallsPerDay")!.Value, 6);
        Assert.Contains("\"verdict\":\"distill-now\"", readyRow.GetString("Report"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DefaultSmallModelConfigured_TaskWithoutSmallSectionIsPricedWithIt()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var settings = DistillationTestCatalog.Settings(stack.Azurite.ConnectionString, suffix, SmallRetiresOn);
        settings["Router:Distillation:DefaultSmallModel"] = "small";
        await using var services = DistillationTestCatalog.Services(settings, new FakeTimeProvider(Now));
        var catalog = services.GetRequiredService<TaskCatalog>();
        var rollups = DistillationTestCatalog.Table(stack.Azurite.ConnectionString, "Rollups" + suffix);
        await DistillationTestCatalog.SeedDailyAsync(rollups, "no-small", "large", "large", WindowStart, 14, 1_000, LargeCall, catalog.Tasks.Single(t => t.Name == "no-small").PromptVersion);

        var (run, _) = await services.GetRequiredService<DistillationReportService>().RunAsync(CancellationToken.None);

        var noSmall = run.Reports.Single(r => r.Task == "no-small");
        Assert.Equal(DistillationVerdict.NotYet, noSmall.Verdict);
        Assert.Equal(((300m + 0m) * 0.30m + 20m * 1.20m) / 1_000_000m, noSmall.SmallCostPerCall); // no small system prompt: 0 tokens
        Assert.Contains("needs 20 more examples (have 0 of 20)", noSmall.Reasons);
    }

    private static decimal? Round(decimal? value) => value is { } v ? Math.Round(v, 9) : null;
}
