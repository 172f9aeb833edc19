using System.Diagnostics;
using System.Text.Json;

namespace Nuggets.Llama.Tests;

/// <summary>
/// The scoring tests under every ggml CPU variant this machine can execute (x64, sse42, sandybridge, haswell,
/// skylakex, icelake, ... as the CPU allows), each in its own process (tests/Nuggets.Llama.VariantHost) because
/// llama.cpp loads one variant per process. Each variant must agree with the full-logit oracle within the oracle's
/// derived float64 bound and with itself under another layout bit for bit, so `dotnet test` proves on one machine
/// what holds on the other CPUs too.
/// </summary>
public class CpuVariantTests
{
    private static readonly string NativeDirectory = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");

    [Test]
    public void Every_cpu_variant_this_machine_runs_agrees_with_the_oracle_and_with_itself()
    {
        var automatic = LlamaRuntime.Initialize().CpuVariant;
        var variants = Directory.GetFiles(NativeDirectory, "libggml-cpu-*.so")
            .Select(f => Path.GetFileName(f)["libggml-cpu-".Length..^3]).Order(StringComparer.Ordinal).ToList();
        Assert.That(variants, Does.Contain("x64").And.Contain(automatic));

        var reports = new Dictionary<string, JsonElement>();
        var notHere = new List<string>();
        var folder = TestPaths.NewTempDirectory("variants");
        foreach (var variant in variants)
        {
            var output = Path.Combine(folder, variant + ".json");
            var (exitCode, stderr) = RunHost("check", variant, output);
            if (exitCode == 3)
            {
                notHere.Add(variant);
                continue;
            }
            Assert.That(exitCode, Is.Zero, $"variant {variant}: {stderr}");
            using var json = JsonDocument.Parse(File.ReadAllText(output));
            reports[variant] = json.RootElement.Clone();
        }
        Assert.That(reports.Keys, Does.Contain("x64").And.Contain(automatic), "the baseline variant and the one ggml picks here must run");

        TestContext.Out.WriteLine($"not executable on this CPU: {(notHere.Count == 0 ? "none" : string.Join(", ", notHere))}");
        TestContext.Out.WriteLine("variant | model | max |engine - oracle| | smallest bound | max |sum - sum(" + automatic + ")|");
        foreach (var (variant, report) in reports)
        {
            Assert.That(report.GetProperty("variant").GetString(), Is.EqualTo(variant), "the host ran the variant it was asked for");
            foreach (var model in report.GetProperty("models").EnumerateArray())
            {
                var name = model.GetProperty("model").GetString();
                Assert.That(model.GetProperty("oracleViolations").EnumerateArray().Select(v => v.GetString()), Is.Empty, $"{variant}, {name}");
                Assert.That(model.GetProperty("invarianceMismatches").GetInt32(), Is.Zero, $"{variant}, {name}: sums changed with the layout");
                var drift = Sums(model).Zip(Sums(Model(reports[automatic], name!)), (x, y) => Math.Abs(x - y)).Max();
                TestContext.Out.WriteLine($"{variant} | {name} | {model.GetProperty("maxOracleDifference").GetDouble():E2} | " +
                                          $"{model.GetProperty("smallestBound").GetDouble():E2} | {drift:E2}");
            }
        }
    }

    private static JsonElement Model(JsonElement report, string name) =>
        report.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("model").GetString() == name);

    private static IEnumerable<double> Sums(JsonElement model) => model.GetProperty("sums").EnumerateArray().Select(s => s.GetDouble());

    private static (int ExitCode, string StdErr) RunHost(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nuggets.Llama.VariantHost.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A hang guard only: a variant's check takes seconds.
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the variant host did not finish: {string.Join(' ', args)}");
        }
        return (process.ExitCode, stderr.Result + stdout.Result);
    }
}
