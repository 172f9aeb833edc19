using System.Globalization;
using Nuggets.Bench;

// bench [options]                      runs the benchmark (eng/bench.sh; see BenchOptions)
// child <spec.json> <result.json>      measures one row (started by the benchmark itself)
var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
culture.NumberFormat.PercentPositivePattern = 1; // "20%", not "20 %"
culture.NumberFormat.PercentNegativePattern = 1;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = culture;

return args switch
{
    ["child", var spec, var result] => Child.Run(spec, result),
    _ => BenchCommand.Run(args, Console.Out, Console.Error),
};
