namespace Nuggets.Core.Jobs;

/// <summary>
/// What a sharded scoring job needs, scheduler-neutral: the project it runs in, how it is split, and the resources each
/// shard asks for. Paths are relative to the project folder (the config file's folder) with '/' separators, so the
/// same files work wherever the project is mounted.
/// </summary>
/// <param name="Name">Job name prefix (<c>nuggets</c> gives <c>nuggets-score</c> and <c>nuggets-merge</c>).</param>
/// <param name="ConfigFile">The config file, relative to the project folder.</param>
/// <param name="JobsDirectory">Where the generated files, shard caches, shard outputs and logs live, relative to the project folder.</param>
/// <param name="CachePath">The configured score cache (<c>cache.path</c>) the merge job merges into, relative to the project folder.</param>
/// <param name="Shards">Number of shards, one array task or indexed pod each.</param>
/// <param name="Resources">What each shard asks the scheduler for.</param>
/// <param name="Prune">
/// Shards score with <c>--prune</c>: true when the selection is by threshold with pruning on, so the shards decode exactly
/// the pairs <c>run</c> would, and <c>select</c> stops where they stopped.
/// </param>
/// <param name="ToolVersion">The tool version that generated the files (named in their header).</param>
public sealed record JobSpec(
    string Name, string ConfigFile, string JobsDirectory, string CachePath, int Shards, JobResources Resources, bool Prune, string ToolVersion)
{
    /// <summary>The shard cache of task <paramref name="shard"/> (a shell expression is allowed), relative to the project folder.</summary>
    public string ShardCache(string shard) => $"{JobsDirectory}/caches/shard-{shard}-of-{Shards}.duckdb";

    /// <summary>The output folder of task <paramref name="shard"/>, relative to the project folder.</summary>
    public string ShardOutput(string shard) => $"{JobsDirectory}/shards/{shard}";

    /// <summary>Every shard cache, in shard order, as the merge job lists them.</summary>
    public IEnumerable<string> AllShardCaches => Enumerable.Range(0, Shards).Select(i => ShardCache(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>What one shard asks the scheduler for.</summary>
/// <param name="Cpus">CPU cores per shard; the shard runs that many scoring threads.</param>
/// <param name="MemoryMiB">Memory per shard in MiB.</param>
/// <param name="Gpus">GPUs per shard (0: none requested).</param>
public sealed record JobResources(int Cpus, long MemoryMiB, int Gpus)
{
    /// <summary>CPUs per shard when neither the command line nor a fixed <c>model.threads</c> says: see <see cref="DefaultCpus"/>.</summary>
    public const int FallbackCpus = 4;

    /// <summary>
    /// The CPUs a shard asks for by default: a fixed <c>model.threads</c> when the config has one, else
    /// <see cref="FallbackCpus"/> (scoring's per-token speed grows less than linearly with threads, so on a cluster
    /// more shards of a few cores each finish sooner than fewer wide ones).
    /// </summary>
    public static int DefaultCpus(int? fixedThreads) => fixedThreads ?? FallbackCpus;

    /// <summary>
    /// Default memory per shard: the model file (llama.cpp maps the weights, and they are resident while scoring) plus
    /// 1 GiB for the context, compute buffers, the dataset rows and DuckDB, rounded up to whole GiB.
    /// </summary>
    public static long DefaultMemoryMiB(long modelBytes)
    {
        const long GiB = 1L << 30;
        return ((Math.Max(0, modelBytes) + GiB - 1) / GiB + 1) * 1024;
    }

    /// <summary>The GPUs a shard asks for by default: one when <c>model.gpuLayers</c> offloads a fixed number of layers (&gt; 0), else none (-1 only uses a GPU that happens to be there).</summary>
    public static int DefaultGpus(int gpuLayers) => gpuLayers > 0 ? 1 : 0;

    /// <summary>Memory as Slurm and Kubernetes write it: whole GiB as <c>G</c>/<c>Gi</c> when exact, else MiB.</summary>
    public (string Slurm, string Kubernetes) MemoryText => MemoryMiB % 1024 == 0
        ? ($"{MemoryMiB / 1024}G", $"{MemoryMiB / 1024}Gi")
        : ($"{MemoryMiB}M", $"{MemoryMiB}Mi");
}

/// <summary>One generated file: its path relative to the jobs folder, its text, and whether it is a script to run.</summary>
public sealed record GeneratedFile(string Name, string Text, bool Executable);
