using Nuggets.Core.Scoring;

namespace Nuggets.Llama.Scoring;

/// <summary>One (prefix, anchor) pair to score: the anchor's response tokens after the prefix tokens.</summary>
internal readonly record struct ScoringPair(int Prefix, AnchorSequence Anchor);
