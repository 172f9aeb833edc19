using Nuggets.Bench.Engine;

return EngineBenchmark.Run(BenchOptions.Parse(args));
