using Nuggets.Core.Data;
using Nuggets.Core.Scoring;

namespace Nuggets.Core.Tests.Fakes;

/// <summary>In-memory dataset reader for pure-logic tests: the "file" path names a list of examples.</summary>
internal sealed class InMemoryReader(Dictionary<string, List<Example>> files) : IDatasetReader
{
    /// <summary>When set, reading this row throws the error a reader raises for a NULL found mid-stream.</summary>
    public long? NullAtRow { get; set; }

    public DatasetDescription Describe(DatasetSource source) =>
        new(source.Paths.Select(p => new DatasetFile(p, "0", files[p].Count)).ToArray(), source.Paths.Sum(p => files[p].Count), []);

    public IEnumerable<IReadOnlyList<Example>> ReadChunks(DatasetSource source, int chunkRows = 4096)
    {
        foreach (var chunk in source.Paths.SelectMany(p => files[p]).Chunk(Math.Min(chunkRows, 7)))
        {
            if (NullAtRow is { } row && chunk.Any(e => e.Row == row))
                throw new NuggetsException($"{source.Paths[0]}: row {row}: 'output' is NULL.", ExitCodes.NullValue);
            yield return chunk;
        }
    }
}

/// <summary>Records what was written instead of writing Parquet.</summary>
internal sealed class RecordingWriter : ISelectionWriter
{
    public Dictionary<string, IReadOnlyList<RowAnnotation>> Written { get; } = [];

    public void Write(DatasetSource source, IReadOnlyList<RowAnnotation> rows, string outputPath, OutputFormat format, bool includeWinCounts)
    {
        // The pipeline writes every output under a staged name first (OutputTransaction); record the final name.
        var name = Path.GetFileName(outputPath);
        var staged = System.Text.RegularExpressions.Regex.Match(name, @"^\.(.+)\.\d+\.staged$");
        Written[staged.Success ? staged.Groups[1].Value : name] = rows;
        File.WriteAllText(outputPath, string.Join("\n", rows));
    }
}

/// <summary>A dictionary cache shared across runs of one test.</summary>
internal sealed class InMemoryCache : IScoreCache
{
    public Dictionary<(string Fingerprint, string Key), LogProbSum> ZeroShot { get; } = [];
    public Dictionary<(string Fingerprint, string Candidate, string Anchor), LogProbSum> Pairs { get; } = [];

    public IReadOnlyDictionary<string, LogProbSum> GetZeroShot(string fingerprint, IReadOnlyCollection<string> anchorKeys) =>
        anchorKeys.Where(k => ZeroShot.ContainsKey((fingerprint, k))).Distinct().ToDictionary(k => k, k => ZeroShot[(fingerprint, k)]);

    public void PutZeroShot(string fingerprint, IReadOnlyCollection<KeyValuePair<string, LogProbSum>> sums)
    {
        foreach (var (key, sum) in sums) ZeroShot[(fingerprint, key)] = sum;
    }

    public IReadOnlyDictionary<(string CandidateKey, string AnchorKey), LogProbSum> GetPairs(string fingerprint, IReadOnlyCollection<string> candidateKeys, IReadOnlyCollection<string> anchorKeys)
    {
        var result = new Dictionary<(string, string), LogProbSum>();
        foreach (var c in candidateKeys.Distinct())
            foreach (var a in anchorKeys.Distinct())
                if (Pairs.TryGetValue((fingerprint, c, a), out var sum)) result[(c, a)] = sum;
        return result;
    }

    /// <summary>The size of every non-empty pairs commit, in order.</summary>
    public List<int> PairCommits { get; } = [];

    public void PutPairs(string fingerprint, IReadOnlyCollection<PairEntry> entries)
    {
        if (entries.Count > 0) PairCommits.Add(entries.Count);
        foreach (var e in entries) Pairs[(fingerprint, e.CandidateKey, e.AnchorKey)] = e.Sum;
    }

    public IReadOnlyList<FingerprintStats> Stats() => [];
}
