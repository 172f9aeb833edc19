using System.Diagnostics;
using Nuggets.Core.Output;

namespace Nuggets.Core.Tests;

public sealed class OutputTransactionTests
{
    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    [Test]
    public void Nothing_moves_into_place_until_commit_and_an_abandoned_transaction_leaves_no_files()
    {
        var dir = TestPaths.NewTempDirectory("output-transaction");
        var final = Path.Combine(dir, "selected.parquet");
        File.WriteAllText(final, "previous");
        using (var transaction = new OutputTransaction())
        {
            File.WriteAllText(transaction.Stage(final), "new");
            Assert.That(File.ReadAllText(final), Is.EqualTo("previous"));
        }
        Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EqualTo(new[] { "selected.parquet" }));
        Assert.That(File.ReadAllText(final), Is.EqualTo("previous"));

        using (var transaction = new OutputTransaction())
        {
            File.WriteAllText(transaction.Stage(final), "new");
            transaction.Commit();
        }
        Assert.That(File.ReadAllText(final), Is.EqualTo("new"));
    }

    [Test]
    public void Stale_files_of_dead_runs_are_removed_and_live_ones_kept()
    {
        var dir = TestPaths.NewTempDirectory("output-stale");
        var dead = DeadProcessId();
        var me = Environment.ProcessId;
        string[] stale = [$".selected.parquet.{dead}.staged", $".manifest.json.{dead}.staged.tmp-{dead}"];
        string[] kept = ["selected.parquet", $".scores.parquet.{me}.staged", ".hidden-user-file"];
        foreach (var name in stale.Concat(kept)) File.WriteAllText(Path.Combine(dir, name), "x");
        Directory.CreateDirectory(Path.Combine(dir, $".stages.{dead}.tmp"));
        Directory.CreateDirectory(Path.Combine(dir, $".stages.{me}.tmp"));

        OutputTransaction.RemoveStale(dir);

        Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EquivalentTo(kept));
        Assert.That(Directory.GetDirectories(dir).Select(Path.GetFileName), Is.EqualTo(new[] { $".stages.{me}.tmp" }));
    }
}
