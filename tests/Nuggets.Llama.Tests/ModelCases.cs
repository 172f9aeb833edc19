namespace Nuggets.Llama.Tests;

/// <summary>Test cases over every model of <see cref="Models.Names"/>.</summary>
internal static class ModelCases
{
    public static IEnumerable<TestCaseData> All() => Models.Names.Select(name => new TestCaseData(name).SetArgDisplayNames(name));
}
