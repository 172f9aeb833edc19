using System.Reflection;

namespace Nuggets.Testing;

/// <summary>Where the repository and ../shared (real model and datasets) are, for every test project.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (stamped into each test assembly at build time).</summary>
    public static string RepoRoot { get; } = typeof(TestPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NuggetsRepoRoot").Value!;

    /// <summary>../shared beside the repository: models/ and data/, read in place, never copied into the repo.</summary>
    public static string Shared { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>The real tiny llama model (stories260K, F32).</summary>
    public static string StoriesModel => Path.Combine(Shared, "models", "stories260K.gguf");

    /// <summary>A file under ../shared/data.</summary>
    public static string Data(string relative) => Path.Combine(Shared, "data", relative);

    /// <summary>A fresh empty folder for one test, deleted by the OS's tmp cleaning, not by us, so failures can be inspected.</summary>
    public static string NewTempDirectory(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "nuggets-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
