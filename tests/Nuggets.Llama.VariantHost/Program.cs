using System.Text.Json;
using Nuggets.Core;
using Nuggets.Core.Scoring;
using Nuggets.Llama;
using Nuggets.Llama.Scoring;
using Nuggets.Llama.Tests;
using Nuggets.Native;

// One ggml CPU variant per process (llama.cpp loads one). Exit 0 with a JSON report, 3 when the variant cannot run
// on this CPU, 1 on any other failure.
//
//   check <variant> <out.json>
//       every test model: the engine against the full-logit oracle (each |Δ| within the oracle's derived bound) and
//       against itself under another layout (threads, call grouping, anchor order: compared with ==)
//   drift <variant> <candidates> <anchors> <oracle-candidates> <out.json>
//       stories260K on Alpaca rows (anchors: the first rows; candidates: the rows after them): every zero-shot and
//       one-shot sum, and the largest |engine − oracle| over the first oracle-candidates candidates
//   compare <reference.json> <drift.json>...
//       (no llama.cpp) a Markdown table of each drift report against the reference: largest |Δ| of a sum, wins that
//       flip (o > z on one variant, not on the other), candidates whose golden score changes
if (args.Length >= 2 && args[0] == "compare")
{
    VariantHost.Compare(args[1], args[2..]);
    return 0;
}
if (args.Length < 3 || args[0] is not ("check" or "drift"))
{
    Console.Error.WriteLine("usage: check <variant> <out.json> | drift <variant> <candidates> <anchors> <oracle-candidates> <out.json> | compare <reference.json> <drift.json>...");
    return 2;
}
try
{
    var info = LlamaRuntime.Initialize(args[1]);
    object report = args[0] == "check" ? VariantHost.Check(info.CpuVariant) : VariantHost.Drift(info.CpuVariant, int.Parse(args[2]), int.Parse(args[3]), int.Parse(args[4]));
    File.WriteAllText(args[^1], JsonSerializer.Serialize(report, new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    }));
    return 0;
}
catch (NativeRuntimeException e) when (e.Message.Contains("cannot run on this CPU", StringComparison.Ordinal))
{
    Console.Error.WriteLine(e.Message);
    return 3;
}

internal static class VariantHost
{
    public sealed record ModelCheck(string Model, int Pairs, double MaxOracleDifference, double SmallestBound, List<string> OracleViolations, int InvarianceMismatches, double[] Sums);

    public sealed record CheckReport(string Variant, List<ModelCheck> Models);

    public sealed record DriftReport(string Variant, int Candidates, int Anchors, int OracleCandidates, double MaxOracleDifference,
        int OracleViolations, double[] ZeroShot, double[] Pairs);

    public static CheckReport Check(string variant)
    {
        var models = new List<ModelCheck>();
        foreach (var name in Models.Names)
        {
            using var model = LlamaModel.Load(Models.Resolve(name));
            var anchors = Texts.Alpaca(5, skip: 0, maxChars: 170).Select(r => Texts.Anchor(model.Tokenizer, r)).ToArray();
            var candidates = Texts.Alpaca(3, skip: 50, maxChars: 170).Select(r => Texts.Candidate(model.Tokenizer, r)).ToArray();
            var all = Enumerable.Range(0, anchors.Length).ToArray();

            var sums = new List<double>();
            var violations = new List<string>();
            var worst = 0.0;
            var smallestBound = double.MaxValue;
            void Compare(string what, LogProbSum actual, ReferenceScorer.Result oracle)
            {
                var difference = Math.Abs(actual.Sum - oracle.Sum.Sum);
                worst = Math.Max(worst, difference);
                smallestBound = Math.Min(smallestBound, oracle.Bound);
                sums.Add(actual.Sum);
                if (difference > oracle.Bound || actual.Count != oracle.Sum.Count)
                    violations.Add($"{what}: engine {actual.Sum:R} ({actual.Count} tokens), oracle {oracle.Sum.Sum:R} ({oracle.Sum.Count}), |Δ| {difference:E2} > bound {oracle.Bound:E2}");
            }

            IReadOnlyList<PairResult> first;
            LogProbSum[] zeroReference, zeroSymmetric;
            using (var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 }))
            {
                first = engine.ScorePairs(anchors, candidates.Select(c => new PairRequest(c, all)).ToArray());
                zeroReference = engine.ScoreZeroShot(anchors, withBos: false);
                zeroSymmetric = engine.ScoreZeroShot(anchors, withBos: true);
            }
            for (var c = 0; c < candidates.Length; c++)
                for (var a = 0; a < anchors.Length; a++)
                    Compare($"candidate {c}, anchor {a}", first[c].Sums[a], ReferenceScorer.Score(model, candidates[c], anchors[a]));
            for (var a = 0; a < anchors.Length; a++)
            {
                Compare($"zero-shot anchor {a}", zeroReference[a], ReferenceScorer.Score(model, [], anchors[a]));
                Compare($"zero-shot anchor {a} with BOS", zeroSymmetric[a], ReferenceScorer.Score(model, [model.Tokenizer.Bos], anchors[a]));
            }

            // Another layout: two threads, candidates in reverse in one call each with its anchors reversed, and the
            // anchor list itself reversed.
            var mismatches = 0;
            using (var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 2 }))
            {
                var reversedAnchors = anchors.Reverse().ToArray();
                var requests = candidates.Reverse().Select(c => new PairRequest(c, all)).ToArray();
                var second = engine.ScorePairs(reversedAnchors, requests);
                for (var c = 0; c < candidates.Length; c++)
                    for (var a = 0; a < anchors.Length; a++)
                        if (second[candidates.Length - 1 - c].Sums[anchors.Length - 1 - a] != first[c].Sums[a]) mismatches++;
                var zero = engine.ScoreZeroShot(reversedAnchors, withBos: false);
                for (var a = 0; a < anchors.Length; a++)
                    if (zero[anchors.Length - 1 - a] != zeroReference[a]) mismatches++;
            }
            models.Add(new ModelCheck(name, candidates.Length * anchors.Length, worst, smallestBound, violations, mismatches, sums.ToArray()));
        }
        return new CheckReport(variant, models);
    }

    public static void Compare(string referencePath, IEnumerable<string> otherPaths)
    {
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
        DriftReport Read(string path) => JsonSerializer.Deserialize<DriftReport>(File.ReadAllText(path), options)!;
        var reference = Read(referencePath);
        Console.WriteLine($"| variant | max \\|engine − oracle\\| ({reference.OracleCandidates} × {reference.Anchors} pairs) | max \\|Δ sum\\| vs {reference.Variant} | wins flipped | golden scores changed |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var other in new[] { reference }.Concat(otherPaths.Select(Read)))
        {
            if (other.Candidates != reference.Candidates || other.Anchors != reference.Anchors)
                throw new InvalidOperationException($"{other.Variant}: another workload than the reference's");
            double worst = 0;
            var flips = 0;
            var changedScores = 0;
            var scored = 0;
            for (var c = 0; c < reference.Candidates; c++)
            {
                int winsHere = 0, winsThere = 0;
                var skipped = false;
                for (var a = 0; a < reference.Anchors; a++)
                {
                    var x = reference.Pairs[c * reference.Anchors + a];
                    var y = other.Pairs[c * reference.Anchors + a];
                    if (double.IsNaN(x) || double.IsNaN(y)) { skipped = true; break; }
                    worst = Math.Max(worst, Math.Abs(x - y));
                    var winHere = x > reference.ZeroShot[a];
                    var winThere = y > other.ZeroShot[a];
                    if (winHere != winThere) flips++;
                    winsHere += winHere ? 1 : 0;
                    winsThere += winThere ? 1 : 0;
                }
                if (skipped) continue;
                scored++;
                if (winsHere != winsThere) changedScores++;
            }
            for (var a = 0; a < reference.Anchors; a++) worst = Math.Max(worst, Math.Abs(reference.ZeroShot[a] - other.ZeroShot[a]));
            Console.WriteLine($"| {other.Variant} | {other.MaxOracleDifference:E1} | {worst:E1} | {flips} of {scored * reference.Anchors:N0} | {changedScores} of {scored:N0} |");
        }
    }

    public static DriftReport Drift(string variant, int candidateCount, int anchorCount, int oracleCandidates)
    {
        using var model = LlamaModel.Load(TestPaths.StoriesModel);
        var rows = Texts.Alpaca(anchorCount + candidateCount, skip: 0, maxChars: int.MaxValue);
        var anchors = rows.Take(anchorCount).Select(r => Texts.Anchor(model.Tokenizer, r)).ToArray();
        var candidates = rows.Skip(anchorCount).Select(r => Texts.Candidate(model.Tokenizer, r)).ToArray();
        var all = Enumerable.Range(0, anchors.Length).ToArray();
        // One thread: the sums do not depend on it, and llama.cpp's threads spin, which on a busy machine is slower.
        using var engine = new LlamaScoringEngine(model, new ScoringEngineOptions { Threads = 1 });
        var zeroShot = engine.ScoreZeroShot(anchors, withBos: false);
        var pairs = new List<double>(candidates.Length * anchors.Length);
        foreach (var chunk in candidates.Chunk(64))
            foreach (var result in engine.ScorePairs(anchors, chunk.Select(c => new PairRequest(c, all)).ToArray()))
                pairs.AddRange(result.Skipped ? Enumerable.Repeat(double.NaN, anchors.Length) : result.Sums.Select(s => s.Sum));

        var worst = 0.0;
        var violations = 0;
        for (var c = 0; c < Math.Min(oracleCandidates, candidates.Length); c++)
            for (var a = 0; a < anchors.Length; a++)
            {
                if (double.IsNaN(pairs[c * anchors.Length + a])) continue; // skipped: longer than the context
                var oracle = ReferenceScorer.Score(model, candidates[c], anchors[a]);
                var difference = Math.Abs(pairs[c * anchors.Length + a] - oracle.Sum.Sum);
                worst = Math.Max(worst, difference);
                if (difference > oracle.Bound) violations++;
            }
        return new DriftReport(variant, candidates.Length, anchors.Length, oracleCandidates, worst, violations,
            zeroShot.Select(z => z.Sum).ToArray(), pairs.ToArray());
    }
}
