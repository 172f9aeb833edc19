using Nuggets.Core;
using Nuggets.Llama;

namespace Nuggets.Cli.Tests;

/// <summary>
/// The numeric backend is part of the cache key (docs/exactness.md): sums of another CPU variant are never reused,
/// and <c>model.cpuVariant</c> pins one variant so machines with different CPUs can share a cache.
/// </summary>
public sealed class CpuVariantPinTests
{
    private const int Anchors = 3;
    private const int Rows = 6;

    private static Workspace NewWorkspace()
    {
        var w = new Workspace();
        w.WriteAlpaca("data.jsonl", 0, Rows);
        w.WriteAlpaca("anchors.jsonl", 1000, Anchors);
        return w;
    }

    private static string[] Run(Workspace w, string output, string variant) =>
        ["--dataset", w.Path("data.jsonl"), "--anchors", w.Path("anchors.jsonl"), "--output", w.Path(output), "--cache", w.Path("cache.duckdb"),
         "--no-prune", "--quiet", "--set", $"model.cpuVariant={variant}"];

    [Test]
    public void A_pinned_variant_scores_under_its_own_fingerprint_and_the_manifest_names_it()
    {
        // x64 is ggml's baseline variant: every x86-64 CPU runs it, and it is never the one ggml picks on a CPU with AVX.
        var automatic = LlamaRuntime.Initialize().CpuVariant;
        Assume.That(automatic, Is.Not.EqualTo("x64"), "this CPU has no AVX, so ggml's own pick is x64 already");
        var w = NewWorkspace();

        Assert.That(w.Nuggets("run", Run(w, "auto", "auto")).ExitCode, Is.EqualTo(ExitCodes.Success));
        var pinned = w.Nuggets("run", Run(w, "x64", "x64"));
        Assert.That(pinned.ExitCode, Is.EqualTo(ExitCodes.Success), pinned.ToString());
        var again = w.Nuggets("run", Run(w, "x64-again", "x64"));
        Assert.That(again.ExitCode, Is.EqualTo(ExitCodes.Success), again.ToString());

        var autoModel = Workspace.Manifest(w.Path("auto")).GetProperty("model");
        var x64 = Workspace.Manifest(w.Path("x64"));
        Assert.That(autoModel.GetProperty("numericBackend").GetString(), Is.EqualTo($"cpu/{automatic}"));
        Assert.That(x64.GetProperty("model").GetProperty("numericBackend").GetString(), Is.EqualTo("cpu/x64"));
        Assert.That(x64.GetProperty("model").GetProperty("fingerprint").GetString(), Is.Not.EqualTo(autoModel.GetProperty("fingerprint").GetString()));
        Assert.That(x64.GetProperty("counts").GetProperty("pairsFromCache").GetInt64(), Is.Zero, "the other variant's sums are not reused");
        Assert.That(x64.GetProperty("counts").GetProperty("pairsDecoded").GetInt64(), Is.EqualTo(Rows * Anchors));
        Assert.That(Workspace.Manifest(w.Path("x64-again")).GetProperty("counts").GetProperty("pairsFromCache").GetInt64(), Is.EqualTo(Rows * Anchors),
            "the pinned variant's own sums are");
    }

    [Test]
    public void A_variant_that_is_not_there_is_refused_with_the_list_of_those_that_are()
    {
        var w = NewWorkspace();
        var result = w.Nuggets("run", Run(w, "out", "pentium4"));
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.NativeRuntime), result.ToString());
        Assert.That(result.StdErr, Does.Contain("model.cpuVariant is 'pentium4'").And.Contain("Available:").And.Contain("x64"));
        Assert.That(Directory.Exists(w.Path("out")), Is.False, "nothing is written");
    }

    [Test]
    public void A_variant_name_that_could_be_a_path_is_a_configuration_error()
    {
        var w = NewWorkspace();
        var result = w.Nuggets("run", Run(w, "out", "../../x"));
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Config), result.ToString());
        Assert.That(result.StdErr, Does.Contain("'model.cpuVariant'"));
    }
}
