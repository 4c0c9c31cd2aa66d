using Router.Core.Catalog;
using Router.Core.Evaluation;
using Router.Core.Tests.Catalog;

namespace Router.Core.Tests.Evaluation;

public sealed class AnswerScorerTests
{
    private const double Threshold = 0.8;

    private static CatalogTask Task(string kind, OutputRuleOptions? output)
    {
        var options = CatalogFixtures.Options();
        var task = options.Tasks["triage"];
        task.Kind = kind;
        task.Route = "large";
        task.Output = output;
        return CatalogFixtures.Catalog(options).Tasks.Single();
    }

    private static readonly CatalogTask Classification = Task("classification", new OutputRuleOptions { Labels = ["billing", "bug"] });

    private static readonly CatalogTask Extraction = Task("extraction", new OutputRuleOptions
    {
        JsonSchema = """{"type":"object","required":["number","total"],"properties":{"number":{"type":"string"},"total":{"type":"number"},"currency":{"type":"string"}}}""",
    });

    private static readonly CatalogTask Generation = Task("generation", null);

    [Theory]
    [InlineData("billing", "billing", true)]
    [InlineData("billing", " Billing ", true)]
    [InlineData("bug", "billing", false)]
    public void Score_Classification_ComparesNormalisedLabels(string reference, string candidate, bool agreed)
    {
        var score = AnswerScorer.Score(Classification, reference, candidate, Threshold);

        Assert.Equal(new ShadowScore(true, agreed, agreed ? 1 : 0), score);
    }

    [Fact]
    public void Score_ClassificationOutsideTheLabels_IsInvalidAndScoresZero()
    {
        Assert.Equal(ShadowScore.Invalid, AnswerScorer.Score(Classification, "billing", "refund", Threshold));
    }

    [Fact]
    public void Score_ReferenceBreaksTheRules_IsNotASample()
    {
        Assert.Null(AnswerScorer.Score(Classification, "refund", "billing", Threshold));
    }

    [Fact]
    public void Score_ExtractionSameJsonOtherOrderAndNumberSpelling_Agrees()
    {
        var score = AnswerScorer.Score(Extraction, """{"number":"INV-1","total":12.5,"currency":"EUR"}""", """{ "currency": "EUR", "total": 12.50, "number": "INV-1" }""", Threshold);

        Assert.Equal(new ShadowScore(true, true, 1), score);
    }

    [Fact]
    public void Score_ExtractionOneOfThreeFieldsDiffers_DisagreesWithTwoThirdsOfTheFields()
    {
        var score = AnswerScorer.Score(Extraction, """{"number":"INV-1","total":12.5,"currency":"EUR"}""", """{"number":"INV-1","total":13,"currency":"EUR"}""", Threshold);

        Assert.NotNull(score);
        Assert.True(score.Value.Valid);
        Assert.False(score.Value.Agreed);
        Assert.Equal(2.0 / 3.0, score.Value.Score, 10);
    }

    [Fact]
    public void Score_ExtractionMissingFieldOnOneSide_CountsTheUnionOfFields()
    {
        // Fields: number, total, currency (only in the reference): 2 of 3 agree.
        var score = AnswerScorer.Score(Extraction, """{"number":"INV-1","total":1,"currency":"EUR"}""", """{"number":"INV-1","total":1}""", Threshold);

        Assert.Equal(2.0 / 3.0, score!.Value.Score, 10);
        Assert.False(score.Value.Agreed);
    }

    [Theory]
    [InlineData("""{"number":"INV-1"}""")] // required field missing
    [InlineData("""{"number":"INV-1","total":"twelve"}""")] // wrong type
    [InlineData("not json")]
    public void Score_ExtractionBreakingTheSchema_IsInvalid(string candidate)
    {
        Assert.Equal(ShadowScore.Invalid, AnswerScorer.Score(Extraction, """{"number":"INV-1","total":1}""", candidate, Threshold));
    }

    [Fact]
    public void Score_GenerationSameText_AgreesWithScoreOne()
    {
        Assert.Equal(new ShadowScore(true, true, 1), AnswerScorer.Score(Generation, "Revenue rose 12% to $4.2M.", "revenue rose 12% to $4.2M", Threshold));
    }

    [Fact]
    public void Score_GenerationBelowTheThreshold_DisagreesButKeepsTheF1()
    {
        var score = AnswerScorer.Score(Generation, "a b c d", "a b x", Threshold);

        Assert.Equal((true, false), (score!.Value.Valid, score.Value.Agreed));
        Assert.Equal(4.0 / 7.0, score.Value.Score, 10);
    }
}
