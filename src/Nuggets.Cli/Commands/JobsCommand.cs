using System.CommandLine;
using Nuggets.Core;
using Nuggets.Core.Configuration;
using Nuggets.Core.Jobs;

namespace Nuggets.Cli.Commands;

/// <summary>
/// <c>dotnet nuggets jobs slurm|k8s</c>: writes ready-to-submit job files that score the configured dataset in shards and
/// then merge and select (docs/sharding.md).
/// </summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var command = new Command("jobs", "Write job files that score in shards on a cluster, then merge and select (docs/sharding.md).");
        command.Subcommands.Add(Slurm());
        command.Subcommands.Add(Kubernetes());
        return command;
    }

    /// <summary>The options both schedulers share.</summary>
    private sealed class Shared
    {
        public Option<string?> Config { get; } = new("--config", "-c") { Description = "Config file (default: ./nuggets.config.json)." };
        public Option<int> Shards { get; } = new("--shards", "-n") { Description = "Number of shards: array tasks or indexed pods.", Required = true };
        public Option<string?> Output { get; } = new("--output", "-o") { Description = "Folder for the job files, shard caches and logs (default: jobs/<scheduler> beside the config; must be inside the config's folder)." };
        public Option<string> Name { get; } = new("--name") { Description = "Job name prefix.", DefaultValueFactory = _ => "nuggets" };
        public Option<int?> Cpus { get; } = new("--cpus") { Description = $"CPUs (and scoring threads) per shard (default: a fixed model.threads, else {JobResources.FallbackCpus})." };
        public Option<string?> Memory { get; } = new("--mem") { Description = "Memory per shard, e.g. 8G (default: the model file's size + 1 GiB, in whole GiB)." };
        public Option<int?> Gpus { get; } = new("--gpus") { Description = "GPUs per shard (default: 1 when model.gpuLayers > 0, else 0)." };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Config, Shards, Output, Name, Cpus, Memory, Gpus }) command.Options.Add(option);
        }

        /// <summary>The job spec for this command line, and the folders the files go to.</summary>
        public (JobSpec Spec, string ProjectDirectory, string JobsDirectory) Resolve(ParseResult parsed, string scheduler)
        {
            var configPath = ConfigFile.Resolve(parsed.GetValue(Config))
                ?? throw new NuggetsException($"no config file: give --config, or run where {ConfigFile.DefaultName} is (the jobs run the pipeline it describes).", ExitCodes.Config);
            var options = ConfigLoader.Load(configPath).Options;
            var project = Path.GetDirectoryName(configPath)!;
            var jobs = Path.GetFullPath(parsed.GetValue(Output) ?? Path.Combine(project, "jobs", scheduler));
            if (!ProjectBoundary.IsInside(jobs, project) || Path.GetRelativePath(project, jobs) == ".")
                throw new NuggetsException($"--output {jobs} must be a folder inside the config's folder {project}: the jobs find it there on every node.", ExitCodes.Usage);
            if (!ProjectBoundary.IsInside(options.Cache.Path, project))
                throw new NuggetsException($"cache.path {options.Cache.Path} is outside the config's folder {project}; the merge job writes it there.", ExitCodes.Usage);

            var shards = parsed.GetValue(Shards);
            if (shards is < 1 or > 1000)
                throw new NuggetsException($"--shards {shards} must be between 1 and 1000 (Slurm's default MaxArraySize allows task ids up to 1000).", ExitCodes.Usage);
            var cpus = parsed.GetValue(Cpus) ?? JobResources.DefaultCpus(options.Model.Threads.Count);
            if (cpus < 1) throw new NuggetsException($"--cpus {cpus} must be at least 1.", ExitCodes.Usage);
            var gpus = parsed.GetValue(Gpus) ?? JobResources.DefaultGpus(options.Model.GpuLayers);
            if (gpus < 0) throw new NuggetsException($"--gpus {gpus} must be 0 or more.", ExitCodes.Usage);
            var memory = parsed.GetValue(Memory) is { } text ? MemorySize.ParseMiB(text, "--mem") : JobResources.DefaultMemoryMiB(ModelBytes(options));

            var spec = new JobSpec(
                parsed.GetValue(Name)!, Relative(project, configPath), Relative(project, jobs), Relative(project, options.Cache.Path), shards,
                new JobResources(cpus, memory, gpus), Prune: options.Selection is { Mode: SelectionMode.Threshold, Prune: true }, ToolInfo.Version);
            // Shards that find no lock each pick the anchors themselves: k-means embeds and clusters the whole dataset in every
            // shard, and machines with other CPUs could even pick other anchors. One pick before submitting avoids both.
            if (options.Anchors is { Method: not AnchorMethod.File, Pin: true, LockFile: { } lockFile } && !File.Exists(lockFile))
                Console.Error.WriteLine($"note: {lockFile} does not exist yet, so every shard would pick the anchors itself; " +
                    "run `dotnet nuggets anchors` once before submitting to pin them for all shards (docs/sharding.md).");
            return (spec, project, jobs);
        }

        private static long ModelBytes(NuggetsOptions options) =>
            options.Model.Path is { } model && File.Exists(model)
                ? new FileInfo(model).Length
                : throw new NuggetsException($"model.path {options.Model.Path ?? "(not set)"} is not a file here, so the memory a shard needs is unknown; give --mem.", ExitCodes.Usage);

        private static string Relative(string project, string path) => Path.GetRelativePath(project, path).Replace(Path.DirectorySeparatorChar, '/');
    }

    private static Command Slurm()
    {
        var shared = new Shared();
        var partition = new Option<string?>("--partition") { Description = "Slurm partition (default: the cluster's)." };
        var time = new Option<string?>("--time") { Description = "Time limit per task, as sbatch takes it (e.g. 4:00:00)." };
        var account = new Option<string?>("--account") { Description = "Slurm account to charge." };
        var command = new Command("slurm", "Write score.sbatch (an array job, one task per shard), merge.sbatch (merge the shard caches and select) and submit.sh.");
        shared.AddTo(command);
        command.Options.Add(partition);
        command.Options.Add(time);
        command.Options.Add(account);
        command.SetAction(parsed =>
        {
            var (spec, project, jobs) = shared.Resolve(parsed, "slurm");
            var files = SlurmJobs.Generate(spec, project, new SlurmJobs.Placement(parsed.GetValue(partition), parsed.GetValue(time), parsed.GetValue(account)));
            Write(jobs, files, ["logs", "caches", "shards"]);
            Console.WriteLine($"submit with: {Path.Combine(jobs, "submit.sh")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Kubernetes()
    {
        var shared = new Shared();
        var image = new Option<string>("--image") { Description = "Container image with the .NET runtime and the tool installed.", Required = true };
        var claim = new Option<string>("--claim") { Description = "ReadWriteMany PersistentVolumeClaim holding the project folder.", DefaultValueFactory = _ => "nuggets-project" };
        var mount = new Option<string>("--mount") { Description = "Where the claim is mounted in the pods; they run there.", DefaultValueFactory = _ => "/work" };
        var ns = new Option<string?>("--namespace") { Description = "Kubernetes namespace (default: kubectl's current one)." };
        var command = new Command("k8s", "Write score-job.yaml (an Indexed Job, one pod per shard), merge-job.yaml (merge the shard caches and select) and submit.sh.");
        shared.AddTo(command);
        command.Options.Add(image);
        command.Options.Add(claim);
        command.Options.Add(mount);
        command.Options.Add(ns);
        command.SetAction(parsed =>
        {
            var (spec, _, jobs) = shared.Resolve(parsed, "k8s");
            var files = KubernetesJobs.Generate(spec, new KubernetesJobs.Placement(parsed.GetValue(image)!, parsed.GetValue(claim)!, parsed.GetValue(mount)!, parsed.GetValue(ns)));
            Write(jobs, files, []);
            Console.WriteLine($"submit with: {Path.Combine(jobs, "submit.sh")}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Writes each file whole (a temporary file renamed into place) and creates the folders the jobs write to.</summary>
    private static void Write(string directory, IReadOnlyList<GeneratedFile> files, string[] folders)
    {
        try
        {
            Directory.CreateDirectory(directory);
            foreach (var folder in folders) Directory.CreateDirectory(Path.Combine(directory, folder));
            foreach (var file in files)
            {
                var target = Path.Combine(directory, file.Name);
                var temporary = target + ".tmp";
                File.WriteAllText(temporary, file.Text);
                if (file.Executable && !OperatingSystem.IsWindows())
                    File.SetUnixFileMode(temporary, File.GetUnixFileMode(temporary) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                File.Move(temporary, target, overwrite: true);
                Console.WriteLine($"wrote {target}");
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new NuggetsException($"cannot write the job files in {directory}: {error.Message}", ExitCodes.OutputError);
        }
    }
}
