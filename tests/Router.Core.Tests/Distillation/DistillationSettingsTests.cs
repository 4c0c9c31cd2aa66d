using Router.Core.Distillation;

namespace Router.Core.Tests.Distillation;

public sealed class DistillationSettingsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        Assert.Empty(new DistillationSettings().Validate());
    }

    [Fact]
    public void Validate_BadValues_OneErrorNamingEachSetting()
    {
        var settings = new DistillationSettings
        {
            WindowDays = 0,
            Epochs = -1,
            TrainingExamples = 0,
            UpkeepUsdPerRetrain = -5m,
            RetrainIntervalDays = 0,
            MinimumExamples = -1,
            MinimumPromptStableDays = -2,
        };

        var errors = settings.Validate();

        Assert.Equal(
            [
                "WindowDays must be at least 1 (was 0).",
                "Epochs must be at least 1 (was -1).",
                "TrainingExamples must be at least 1 (was 0).",
                "UpkeepUsdPerRetrain must be at least 0 (was -5).",
                "RetrainIntervalDays must be at least 1 (was 0).",
                "MinimumExamples must be at least 0 (was -1).",
                "MinimumPromptStableDays must be at least 0 (was -2).",
            ],
            errors);
    }

    [Fact]
    public void Validate_ZeroUpkeepAndZeroMinimums_Allowed()
    {
        var settings = new DistillationSettings { UpkeepUsdPerRetrain = 0m, MinimumExamples = 0, MinimumPromptStableDays = 0 };

        Assert.Empty(settings.Validate());
    }
}
