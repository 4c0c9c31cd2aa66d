using Router.Core.Catalog;
using Router.Core.Evaluation;
using Router.Core.Ledger;
using Router.Core.Tests.Catalog;
using Router.Core.Tests.Ledger;

namespace Router.Core.Tests.Evaluation;

/// <summary>The optional judge of generation tasks: settings, its prompt and verdict, and how its calls add up.</summary>
public sealed class JudgeTests
{
    private static readonly DateTimeOffset Hour = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static RouterOptions WithJudge(string kind, string? model = "large", string? rubric = null)
    {
        var options = CatalogFixtures.Options();
        options.Tasks["notes"] = new TaskOptions
        {
            Kind = kind,
            Route = "large",
            Large = new LargePromptOptions { Model = "large", System = "Summarise the notes." },
            Output = kind == "classification" ? new OutputRuleOptions { Labels = ["a", "b"] } : null,
            Judge = new JudgeOptions { Model = model, Rubric = rubric },
        };
        return options;
    }

    [Fact]
    public void Validate_JudgeOnAGenerationTask_CompilesWithTheDefaultRubric()
    {
        var options = WithJudge("generation");

        var result = new RouterOptionsValidator().Validate(null, options);
        var task = CatalogFixtures.Catalog(options).Tasks.Single(t => t.Name == "notes");

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(("large", CatalogJudge.DefaultRubric), (task.Judge!.Model.Name, task.Judge.Rubric));
    }

    [Theory]
    [InlineData("classification", "large", "Router:Tasks:notes:Judge: only generation and knowledge tasks are judged")]
    [InlineData("generation", "nope", "Router:Tasks:notes:Judge:Model")]
    [InlineData("generation", null, "Router:Tasks:notes:Judge:Model: is required")]
    public void Validate_BadJudge_FailsNamingTheSetting(string kind, string? model, string expected)
    {
        var result = new RouterOptionsValidator().Validate(null, WithJudge(kind, model));

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("agree", true)]
    [InlineData(" Disagree.", false)]
    [InlineData("\"agree\"", true)]
    [InlineData("I think they agree", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Read_JudgeAnswer_IsAgreeDisagreeOrUnreadable(string? answer, bool? expected) =>
        Assert.Equal(expected, JudgePrompt.Read(answer));

    [Fact]
    public void Plan_GradingRequest_CarriesRubricLabelsAndBothAnswersToTheJudgeModel()
    {
        var options = WithJudge("generation", rubric: "Facts must match.");
        var task = CatalogFixtures.Catalog(options).Tasks.Single(t => t.Name == "notes");

        var plan = JudgePrompt.Plan(task, task.Judge!, "the notes", "Reference text.", "Candidate text.", new TokenCounter());

        Assert.Equal("large", plan.Model.Name);
        var system = plan.Request.Messages[0].Content;
        Assert.StartsWith(JudgePrompt.Preamble, system, StringComparison.Ordinal);
        Assert.Contains("Facts must match.", system, StringComparison.Ordinal);
        Assert.EndsWith("Allowed labels: agree, disagree", system, StringComparison.Ordinal);
        Assert.Equal("Input:\nthe notes\n\nReference answer:\nReference text.\n\nCandidate answer:\nCandidate text.", plan.Request.Messages[1].Content);
        Assert.True(plan.Prompt.SystemTokens > 0);
    }

    [Fact]
    public void Aggregator_JudgeCalls_AreEvaluationCostOfTheirCandidateNotSamplesOrItsCostPerCall()
    {
        var aggregator = new ShadowRollupAggregator("i1");
        // The judge's row may land before the candidate's: the row keeps the candidate's model.
        aggregator.Add(Row("a-judge", "large", 0.010m, judge: true));
        aggregator.Add(Row("a", "mini", 0.001m, judge: false));
        aggregator.Add(Row("b", "mini", 0.001m, judge: false));
        aggregator.Add(Row("b-judge", "large", 0.012m, judge: true));

        var row = Assert.Single(aggregator.TakeDirty());
        var totals = new ShadowRollupTotals();
        totals.Add(ShadowRollupEntity.FromEntity(ShadowRollupEntity.ToEntity(row)));
        var evidence = CandidateEvidence.From("notes", "cand", row.Model, totals);

        Assert.Equal("mini", row.Model);
        Assert.Equal((2L, 2L, 2L), (evidence.Calls, evidence.Samples, evidence.JudgeCalls));
        Assert.Equal(0.002m, evidence.CostUsd);
        Assert.Equal(0.001m, evidence.CostPerCall);
        Assert.Equal(0.022m, evidence.JudgeCostUsd);
    }

    private static CallRecord Row(string callId, string model, decimal cost, bool judge) =>
        LedgerRecords.Call(Hour.AddMinutes(5), callId, model: model, cost: cost, status: CallStatus.Shadow, totalMs: 30) with
        {
            UpstreamMs = 30,
            Shadow = judge ? new ShadowEvaluation("cand", false, false, false, 0, Judge: true) : new ShadowEvaluation("cand", true, true, true, 1),
        };
}
