// Slurm, munge and the POSIX file modes these tests use exist on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
