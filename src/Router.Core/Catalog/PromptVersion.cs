using System.Security.Cryptography;
using System.Text;
using Router.Core.Routing;

namespace Router.Core.Catalog;

/// <summary>
/// A short, stable hash of everything that shapes a task's prompts. The distillation
/// report uses it to tell whether the behaviour has been stable long enough to train on.
/// </summary>
public static class PromptVersion
{
    public static string Compute(string largeSystem, IEnumerable<FewShotExample> examples, string? smallSystem, OutputRule output)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(output);
        var canonical = new StringBuilder();
        // Length-prefixed parts, so that moving text between parts changes the hash.
        Append(canonical, "large", largeSystem);
        foreach (var example in examples)
        {
            Append(canonical, "in", example.Input);
            Append(canonical, "out", example.Output);
        }

        Append(canonical, "small", smallSystem ?? string.Empty);
        Append(canonical, "labels", string.Join('\n', output.Labels));
        Append(canonical, "schema", output.JsonSchemaText ?? string.Empty);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return "pv-" + Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }

    private static void Append(StringBuilder builder, string name, string value) =>
        builder.Append(name).Append(':').Append(value.Length).Append(':').Append(value).Append('\n');
}
