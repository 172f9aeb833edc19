using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Nuggets.Cluster.Tests;

/// <summary>
/// A real single-node Slurm cluster on this machine, for the tests: munged, slurmctld and slurmd started in the
/// foreground from a generated slurm.conf in a temporary folder (one node with this machine's CPUs, one partition,
/// <c>proctrack/linuxproc</c>, <c>task/none</c>, free ports), stopped by the process handles this class started,
/// never by name. Needs root (slurmd starts jobs as their user) and Debian's <c>slurm-wlm</c> and <c>munge</c>.
/// </summary>
internal sealed partial class SlurmCluster : IDisposable
{
    private static readonly string[] Programs = ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "scancel", "sinfo"];
    private readonly List<Process> daemons = [];

    /// <summary>The folder holding slurm.conf, the munge key and socket, state, spool and daemon logs.</summary>
    public string Root { get; }

    /// <summary>The generated slurm.conf; clients find it through <c>SLURM_CONF</c>.</summary>
    public string ConfigPath => Path.Combine(Root, "slurm.conf");

    private SlurmCluster(string root) => Root = root;

    /// <summary>
    /// Starts the cluster and waits until its node is idle, or returns null with the reason it cannot run here
    /// (not root, a program missing, a daemon that did not come up).
    /// </summary>
    public static SlurmCluster? TryStart(out string reason)
    {
        if (geteuid() != 0) { reason = "the Slurm tests start slurmd, which must run as root"; return null; }
        var missing = Programs.Where(p => Which(p) is null).ToArray();
        if (missing.Length > 0) { reason = $"not installed: {string.Join(", ", missing)} (apt-get install slurm-wlm munge)"; return null; }

        // A short path: the munge socket's path must fit a sockaddr_un (108 bytes).
        var root = Path.Combine("/tmp", $"nuggets-slurm-{Guid.NewGuid():N}"[..22]);
        var cluster = new SlurmCluster(root);
        try
        {
            cluster.Start();
            reason = "";
            return cluster;
        }
        catch (Exception error) when (error is InvalidOperationException or TimeoutException or IOException or System.ComponentModel.Win32Exception)
        {
            reason = $"the cluster in {root} did not start: {error.Message}\n{cluster.DaemonLogs()}";
            cluster.Dispose();
            return null;
        }
    }

    private void Start()
    {
        foreach (var folder in new[] { "munge", "state", "spool", "log" }) Directory.CreateDirectory(Path.Combine(Root, folder));
        File.SetUnixFileMode(Path.Combine(Root, "munge"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var key = Path.Combine(Root, "munge", "munge.key");
        File.WriteAllBytes(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(key, UnixFileMode.UserRead);
        var socket = Path.Combine(Root, "munge", "munge.socket");

        daemons.Add(Daemon("munged", "--foreground", "--force", $"--socket={socket}", $"--key-file={key}",
            $"--pid-file={Root}/munge/munged.pid", $"--seed-file={Root}/munge/seed", $"--log-file={Root}/log/munged.log"));
        WaitFor(() => File.Exists(socket), TimeSpan.FromSeconds(10), "munged's socket");

        var node = NodeLine();
        File.WriteAllText(ConfigPath, $"""
            ClusterName=nuggets-tests
            SlurmctldHost=localhost(127.0.0.1)
            SlurmctldPort={FreePort()}
            SlurmdPort={FreePort()}
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            CredType=cred/munge
            AuthInfo=socket={socket}
            StateSaveLocation={Root}/state
            SlurmdSpoolDir={Root}/spool
            SlurmctldPidFile={Root}/slurmctld.pid
            SlurmdPidFile={Root}/slurmd.pid
            SlurmctldLogFile={Root}/log/slurmctld.log
            SlurmdLogFile={Root}/log/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            SchedulerType=sched/backfill
            MpiDefault=none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            ReturnToService=2
            MinJobAge=3600
            {node.Line}
            PartitionName=tests Nodes={node.Name} Default=YES MaxTime=INFINITE State=UP

            """);

        daemons.Add(Daemon("slurmctld", "-D", "-f", ConfigPath));
        daemons.Add(Daemon("slurmd", "-D", "-f", ConfigPath, "-N", node.Name));
        WaitFor(() => Client("sinfo", "-h", "-o", "%T").StdOut.Trim() == "idle", TimeSpan.FromSeconds(60), "the node to be idle");
    }

    /// <summary>This machine as a slurm.conf node line (from <c>slurmd -C</c>), reachable on the loopback address.</summary>
    private static (string Name, string Line) NodeLine()
    {
        var probe = Run("slurmd", ["-C"], null);
        var first = probe.StdOut.Split('\n')[0];
        var name = NodeName().Match(first) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"slurmd -C printed no node: {probe.StdOut}{probe.StdErr}");
        return (name, $"{first.Trim()} NodeAddr=127.0.0.1 State=UNKNOWN");
    }

    /// <summary>Runs a Slurm client command against this cluster.</summary>
    public ProcessResult Client(string program, params string[] args) => Run(program, args, ClientEnvironment);

    /// <summary>The environment a client or a submitting script needs: <c>SLURM_CONF</c>.</summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment => new Dictionary<string, string> { ["SLURM_CONF"] = ConfigPath };

    /// <summary>The fields of <c>scontrol show job</c> for one job (an array task as <c>id_task</c>).</summary>
    public IReadOnlyDictionary<string, string> Job(string id)
    {
        var shown = Client("scontrol", "show", "job", "--oneliner", id);
        if (shown.ExitCode != 0) throw new InvalidOperationException($"scontrol show job {id}: {shown}");
        return JobField().Matches(shown.StdOut.Split('\n')[0]).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    /// <summary>Waits until none of <paramref name="ids"/> is pending, running or completing; returns their records.</summary>
    public IReadOnlyDictionary<string, string>[] WaitUntilDone(TimeSpan timeout, params string[] ids)
    {
        IReadOnlyDictionary<string, string>[] jobs = [];
        WaitFor(() =>
        {
            jobs = ids.SelectMany(Tasks).ToArray();
            return jobs.All(j => j["JobState"] is not ("PENDING" or "RUNNING" or "COMPLETING" or "CONFIGURING" or "REQUEUED" or "RESIZING" or "SUSPENDED"));
        }, timeout, $"jobs {string.Join(", ", ids)} to end");
        return jobs;
    }

    // Every record scontrol shows for an id: one per array task for an array job.
    private IEnumerable<IReadOnlyDictionary<string, string>> Tasks(string id)
    {
        var shown = Client("scontrol", "show", "job", "--oneliner", id);
        if (shown.ExitCode != 0) throw new InvalidOperationException($"scontrol show job {id}: {shown}");
        return shown.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => (IReadOnlyDictionary<string, string>)JobField().Matches(line).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value));
    }

    /// <summary>Polls <paramref name="done"/> every 200 ms until it holds.</summary>
    /// <exception cref="TimeoutException">It did not within <paramref name="timeout"/>.</exception>
    public static void WaitFor(Func<bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}");
            Thread.Sleep(200);
        }
    }

    /// <summary>The daemons' own logs, for a failure message.</summary>
    public string DaemonLogs() => string.Join("\n", Directory.Exists(Path.Combine(Root, "log"))
        ? Directory.GetFiles(Path.Combine(Root, "log")).Select(f => $"--- {f}\n{string.Join('\n', File.ReadLines(f).TakeLast(15))}")
        : []);

    /// <summary>Cancels whatever is still queued, then stops the daemons this instance started, newest first.</summary>
    public void Dispose()
    {
        if (daemons.Count == 3)
        {
            // Jobs first: a job's processes belong to slurmstepd, which outlives slurmd.
            Client("scancel", "--user=root");
            try { WaitFor(() => Client("squeue", "-h").StdOut.Trim().Length == 0, TimeSpan.FromSeconds(60), "the queue to empty"); }
            catch (TimeoutException) { /* stop the daemons anyway */ }
        }
        foreach (var daemon in Enumerable.Reverse(daemons))
        {
            try
            {
                if (!daemon.HasExited)
                {
                    kill(daemon.Id, 15);
                    if (!daemon.WaitForExit(TimeSpan.FromSeconds(10))) daemon.Kill();
                    daemon.WaitForExit();
                }
            }
            catch (InvalidOperationException) { /* never started */ }
            daemon.Dispose();
        }
        daemons.Clear();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* a daemon's file still open: the OS's tmp cleaning takes it */ }
    }

    private Process Daemon(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var output = File.CreateText(Path.Combine(Root, "log", $"{program}.out"));
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        process.OutputDataReceived += (_, e) => { lock (output) { if (e.Data is not null) output.WriteLine(e.Data); output.Flush(); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { if (e.Data is not null) output.WriteLine(e.Data); output.Flush(); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (process.WaitForExit(TimeSpan.FromMilliseconds(300)))
            throw new InvalidOperationException($"{program} exited at once with {process.ExitCode}");
        return process;
    }

    /// <summary>Runs a program to its end and captures its output.</summary>
    public static ProcessResult Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr);
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"])
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();

    [GeneratedRegex(@"^NodeName=(\S+)")]
    private static partial Regex NodeName();

    [GeneratedRegex(@"(\w[\w:/]*)=(\S*)")]
    private static partial Regex JobField();
}

/// <summary>What a program printed and returned.</summary>
internal sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}
