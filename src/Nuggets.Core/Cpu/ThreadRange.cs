namespace Nuggets.Core.Cpu;

/// <summary>The compute threads a run went through while <c>auto</c> followed the load.</summary>
/// <param name="Lowest">The fewest threads any engine call ran with.</param>
/// <param name="Highest">The most.</param>
/// <param name="Changes">How many times the count was changed during the run.</param>
public readonly record struct ThreadRange(int Lowest, int Highest, int Changes);
