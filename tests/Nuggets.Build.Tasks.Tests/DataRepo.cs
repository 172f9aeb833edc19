using System.Reflection;
using System.Text.Json;

namespace Nuggets.Build.Tasks.Tests;

/// <summary>
/// A data repository in a temp folder, built with the real <c>dotnet build</c> in a child process, as a user would.
/// </summary>
internal sealed class DataRepo(string directory, string projectFile = "data.proj")
{
    /// <summary>Built test assembly folder: Nuggets.Build.Tasks.dll and the CLI (dotnet-nuggets.dll + natives) are here.</summary>
    public static string BinDirectory => AppContext.BaseDirectory;

    /// <summary>The configuration this test assembly was built in (the packed package is built the same way).</summary>
    public static string Configuration { get; } =
        typeof(DataRepo).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public string Directory { get; } = directory;
    public string OutputDir => Path.Combine(Directory, "bin", "Debug", "net10.0", "nuggets");
    public string Selection => Path.Combine(OutputDir, "selected.parquet");
    public string Manifest => Path.Combine(OutputDir, "manifest.json");
    public string Cache => Path.Combine(Directory, ".nuggets", "cache.duckdb");

    /// <summary>
    /// Short Alpaca rows (few tokens, so a build scores in seconds with the tiny real model): the first
    /// <paramref name="count"/> after skipping <paramref name="skip"/>, as JSONL lines.
    /// </summary>
    public static IReadOnlyList<string> ShortAlpacaRows(int skip, int count) =>
        File.ReadLines(TestPaths.Data("alpaca/alpaca_2k.jsonl"))
            .Where(line =>
            {
                using var row = JsonDocument.Parse(line);
                var r = row.RootElement;
                return r.GetProperty("instruction").GetString()!.Length + r.GetProperty("input").GetString()!.Length
                    + r.GetProperty("output").GetString()!.Length < 90;
            })
            .Skip(skip).Take(count).ToList();

    /// <summary>A project that imports build/Nuggets.Build.props and .targets straight from this checkout (no package).</summary>
    /// <param name="name">Temp folder name prefix.</param>
    /// <param name="properties">Extra PropertyGroup content.</param>
    /// <param name="items">ItemGroup content (NuggetsDataset, NuggetsSetting).</param>
    /// <param name="extra">More project content (targets).</param>
    /// <param name="toolPathProperty">false: leave NuggetsToolPath unset (the test passes NUGGETS_TOOL instead).</param>
    public static DataRepo FromSource(string name, string properties, string items, string extra = "", bool toolPathProperty = true)
    {
        var toolPath = toolPathProperty ? $"<NuggetsToolPath>{Path.Combine(BinDirectory, "dotnet-nuggets.dll")}</NuggetsToolPath>" : "";
        var repo = new DataRepo(TestPaths.NewTempDirectory(name));
        var build = Path.Combine(TestPaths.RepoRoot, "build");
        File.WriteAllText(Path.Combine(repo.Directory, "data.proj"), $"""
            <Project>
              <Import Project="Sdk.props" Sdk="Microsoft.Build.NoTargets" Version="3.7.0" />
              <Import Project="{build}/Nuggets.Build.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <NuggetsTasksAssembly>{Path.Combine(BinDirectory, "Nuggets.Build.Tasks.dll")}</NuggetsTasksAssembly>
                {toolPath}
                <NuggetsModel>{TestPaths.StoriesModel}</NuggetsModel>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                {items}
              </ItemGroup>
              {extra}
              <Import Project="Sdk.targets" Sdk="Microsoft.Build.NoTargets" Version="3.7.0" />
              <Import Project="{build}/Nuggets.Build.targets" />
            </Project>
            """);
        return repo;
    }

    public void Write(string relativePath, IEnumerable<string> lines)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));
    }

    /// <summary><c>dotnet &lt;verb&gt;</c> on the project, normal verbosity (target skips are logged), no node reuse.</summary>
    public (int ExitCode, string Output) Dotnet(string verb, IReadOnlyDictionary<string, string?>? environment = null, params string[] extra) =>
        Run(Directory, environment, [verb, projectFile, "-nologo", "-tl:off", "-v:n", "-nr:false", .. extra]);

    /// <summary>
    /// Runs <c>dotnet</c> without the MSBuild variables of the <c>dotnet test</c> that started this test (they would
    /// point the child at the parent's MSBuild state), with node reuse off so no stale task assembly stays loaded.
    /// </summary>
    public static (int ExitCode, string Output) Run(string directory, IReadOnlyDictionary<string, string?>? environment, string[] args)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || key is "NUGGETS_TOOL" or "DOTNET_HOST_PATH") env[key] = null;
        }
        env["MSBUILDDISABLENODEREUSE"] = "1";
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env["DOTNET_NOLOGO"] = "1";
        env["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) env[key] = value;
        return Processes.Run("dotnet", directory, env, args);
    }

    public JsonElement ReadManifestCounts()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Manifest));
        return manifest.RootElement.GetProperty("counts").Clone();
    }
}
