using Nuggets.Core.Data;
using Nuggets.Core.Prompting;
using Nuggets.Core.Scoring;
using Nuggets.DuckDb;
using Nuggets.Llama;

namespace Nuggets.Bench.Rows;

/// <summary>The anchors and candidates of a spec, tokenized as the pipeline does (docs/scoring.md).</summary>
internal sealed record Texts(AnchorSequence[] Anchors, int[][] Candidates)
{
    public static Texts Load(ChildSpec spec, LlamaTokenizer tokenizer)
    {
        var anchors = Read(spec.AnchorsFile, spec.Anchors).Select(e =>
        {
            var text = AlpacaTemplate.Format(e);
            return new AnchorSequence(tokenizer.Tokenize(text.FullText, false), tokenizer.Tokenize(text.Prompt, false).Length);
        }).ToArray();
        var candidates = Read(spec.CandidatesFile, spec.Candidates)
            .Select(e => tokenizer.Tokenize(AlpacaTemplate.Format(e).FullText, true)).ToArray();
        return new Texts(anchors, candidates);
    }

    public long Pairs => (long)Anchors.Length * Candidates.Length;

    public double MeanAnchorTokens => Anchors.Average(a => a.Tokens.Length);

    public double MeanCandidateTokens => Candidates.Average(c => c.Length);

    private static List<Example> Read(string path, int count)
    {
        var rows = new DuckDbDatasetReader().ReadChunks(DatasetSource.Single(path)).SelectMany(c => c).Take(count).ToList();
        if (rows.Count < count) throw new InvalidOperationException($"{path} has {rows.Count} rows, {count} needed.");
        return rows;
    }
}
