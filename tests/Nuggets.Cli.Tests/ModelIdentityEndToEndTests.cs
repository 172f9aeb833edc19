using System.Security.Cryptography;
using Nuggets.Core;
using Nuggets.Core.Models;

namespace Nuggets.Cli.Tests;

/// <summary>
/// The model's SHA-256 through the real tool: hashed on the first run, reused from model-identity.json while the file's
/// size, times and inode stay the same, hashed again when any of them changes; the manifest says which
/// (model.sha256Source) and always records the file's true SHA-256.
/// </summary>
public sealed class ModelIdentityEndToEndTests
{
    private static void AssertOk(CliResult result) => Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());

    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Test]
    public void A_second_run_reuses_the_hash_and_a_touched_or_replaced_model_is_hashed_again()
    {
        var w = new Workspace();
        w.WriteAlpaca("data.jsonl", 0, 3);
        w.WriteAlpaca("anchors.jsonl", 1000, 1);
        var model = w.Path("model.gguf");
        File.Copy(TestPaths.StoriesModel, model);
        var original = Sha256Of(model);
        var runs = 0;

        (string Sha256, string Source, CliResult Result) Run(bool quiet = true)
        {
            var output = w.Path($"out{++runs}");
            var result = w.Nuggets("score", ["--dataset", w.Path("data.jsonl"), "--anchors", w.Path("anchors.jsonl"), "--model", model,
                "--output", output, "--cache", w.Path(".nuggets/cache.duckdb"), "--no-prune", .. quiet ? new[] { "--quiet" } : []]);
            AssertOk(result);
            var manifest = Workspace.Manifest(output).GetProperty("model");
            return (manifest.GetProperty("sha256").GetString()!, manifest.GetProperty("sha256Source").GetString()!, result);
        }

        var first = Run();
        Assert.That((first.Sha256, first.Source), Is.EqualTo((original, "computed")));
        Assert.That(File.Exists(w.Path($".nuggets/{ModelIdentityStore.FileName}")), Is.True, "stored beside the cache");

        var second = Run(quiet: false);
        Assert.That((second.Sha256, second.Source), Is.EqualTo((original, "reused")));
        Assert.That(second.Result.StdOut, Does.Match(@"model sha256\s*│\s*reused \(file unchanged since hashed\)"));

        // touch: same bytes, new modification time.
        File.SetLastWriteTimeUtc(model, File.GetLastWriteTimeUtc(model).AddMinutes(1));
        var touched = Run();
        Assert.That((touched.Sha256, touched.Source), Is.EqualTo((original, "computed")));

        // Replaced by a different file of the same size, renamed over it with the old modification time (a new inode).
        var modified = File.GetLastWriteTimeUtc(model);
        var bytes = File.ReadAllBytes(model);
        bytes[^4] ^= 1; // the low byte of the last weight: the model still loads
        var temporary = w.Path("model.gguf.part");
        File.WriteAllBytes(temporary, bytes);
        File.SetLastWriteTimeUtc(temporary, modified);
        File.Move(temporary, model, overwrite: true);
        Assert.That(new FileInfo(model).Length, Is.EqualTo(new FileInfo(TestPaths.StoriesModel).Length));
        var replaced = Run();
        var replacedSha = Sha256Of(model);
        Assert.That(replacedSha, Is.Not.EqualTo(original));
        Assert.That((replaced.Sha256, replaced.Source), Is.EqualTo((replacedSha, "computed")));
        Assert.That(Run().Source, Is.EqualTo("reused"));

        // Rewritten in place (same inode, same size) with the modification time set back: only the change time moved.
        bytes[^4] ^= 3;
        File.WriteAllBytes(model, bytes);
        File.SetLastWriteTimeUtc(model, modified);
        var rewritten = Run();
        Assert.That((rewritten.Sha256, rewritten.Source), Is.EqualTo((Sha256Of(model), "computed")));
        Assert.That(rewritten.Sha256, Is.Not.EqualTo(replacedSha).And.Not.EqualTo(original));
    }
}
