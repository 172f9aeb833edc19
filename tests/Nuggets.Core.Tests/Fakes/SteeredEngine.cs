using System.Text.RegularExpressions;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Tests.Fakes;

/// <summary>
/// A stand-in for llama.cpp whose win pattern is written in the data, for unit tests of pruning logic: a candidate
/// whose text holds <c>wins=1011…</c> wins on anchor j (an anchor whose text holds <c>anchor j.</c>) exactly when
/// character j of the pattern is 1. One token per character, as <see cref="FakeEngine"/>.
/// </summary>
internal sealed partial class SteeredEngine : IScoringEngine
{
    public int BosToken => 1;
    public int ContextLength => 4096;
    public long PairsScored { get; private set; }

    /// <summary>A candidate pattern for anchor count and wins, as the data writes it.</summary>
    public static string Pattern(IEnumerable<bool> wins) => "wins=" + string.Concat(wins.Select(w => w ? '1' : '0')) + ";";

    public int[] Tokenize(string text, bool addBos) => (addBos ? new[] { BosToken } : []).Concat(text.Select(c => 2 + (int)c)).ToArray();

    public LogProbSum[] ScoreZeroShot(IReadOnlyList<AnchorSequence> anchors, bool withBos, CancellationToken cancellation = default) =>
        anchors.Select(a => new LogProbSum(-1.0, a.ResponseLength)).ToArray();

    public IReadOnlyList<PairResult> ScorePairs(IReadOnlyList<AnchorSequence> anchors, IReadOnlyList<PairRequest> requests, CancellationToken cancellation = default) =>
        requests.Select(r =>
        {
            PairsScored += r.AnchorIndexes.Count;
            var pattern = PatternText().Match(Text(r.Candidate)).Groups[1].Value;
            return new PairResult(r.AnchorIndexes.Select(i =>
            {
                var anchor = int.Parse(AnchorText().Match(Text(anchors[i].Tokens)).Groups[1].Value);
                return new LogProbSum(pattern[anchor] == '1' ? -0.5 : -1.5, anchors[i].ResponseLength);
            }).ToArray(), null);
        }).ToArray();

    public void SetThreads(int threads) { }

    public void Dispose() { }

    private static string Text(int[] tokens) => new(tokens.Where(t => t >= 2).Select(t => (char)(t - 2)).ToArray());

    [GeneratedRegex(@"wins=([01]+);")]
    private static partial Regex PatternText();

    [GeneratedRegex(@"anchor (\d+)\.")]
    private static partial Regex AnchorText();
}
