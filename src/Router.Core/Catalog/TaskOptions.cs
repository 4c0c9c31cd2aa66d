namespace Router.Core.Catalog;

/// <summary>One task of the catalog, as configured under <c>Router:Tasks:{name}</c>.</summary>
public sealed class TaskOptions
{
    /// <summary>classification | extraction | generation | knowledge.</summary>
    public string? Kind { get; set; }

    /// <summary>large | small: where calls for this task go.</summary>
    public string? Route { get; set; }

    public string? Description { get; set; }

    public LargePromptOptions Large { get; set; } = new();

    public SmallPromptOptions? Small { get; set; }

    public OutputRuleOptions? Output { get; set; }

    /// <summary>When the small model's answer breaks the output rules (or the small deployment is down), ask the large one.</summary>
    public bool CascadeToLarge { get; set; } = true;

    /// <summary>Share of successful large-model calls kept as training examples (0..1).</summary>
    public double CaptureRate { get; set; }

    /// <summary>Cap on output tokens when the caller does not give one.</summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Cheaper ways to serve the task, shadow-evaluated against the large model's answers.</summary>
    public Dictionary<string, CandidateOptions> Candidates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Agreement with the large model a cheaper path must show (the lower bound of its 95% interval) before the report proposes it.</summary>
    public double QualityBar { get; set; } = 0.95;

    /// <summary>
    /// A local classifier's answer below this confidence (its top class probability, 0..1) is not served:
    /// the call cascades to the large model, recorded as an escalation with reason <c>low-confidence</c>.
    /// </summary>
    public double ConfidenceThreshold { get; set; } = 0.5;

    /// <summary>When the task is served by something other than the large model: the slice also sent to the large model.</summary>
    public LargeShadowOptions LargeShadow { get; set; } = new();

    /// <summary>Generation and knowledge tasks: an optional model that grades shadow answers against the reference.</summary>
    public JudgeOptions? Judge { get; set; }
}

public sealed class LargePromptOptions
{
    public string? Model { get; set; }

    public string? System { get; set; }

    public List<FewShotExampleOptions> Examples { get; set; } = [];

    public double? Temperature { get; set; }
}

public sealed class SmallPromptOptions
{
    public string? Model { get; set; }

    /// <summary>The tuned model learned the behaviour; this short prompt only frames the input.</summary>
    public string? System { get; set; }
}

public sealed class FewShotExampleOptions
{
    public string? Input { get; set; }

    public string? Output { get; set; }
}

public sealed class OutputRuleOptions
{
    /// <summary>The answer must be exactly one of these labels.</summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>The answer must be JSON valid against this schema (the schema as a JSON string).</summary>
    public string? JsonSchema { get; set; }
}
