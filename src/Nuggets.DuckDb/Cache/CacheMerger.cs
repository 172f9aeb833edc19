using Nuggets.Core;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Cache;

/// <summary>
/// Merges cache files (from shards or machines, docs/sharding.md) into one: the score entries of every input are added
/// to the output's. Inputs are attached read-only and never written.
/// </summary>
public static class CacheMerger
{
    private const string MergeSource = "nuggets_merge_source";

    /// <summary>
    /// Merges caches (from shards or machines) into <paramref name="output"/> (created when missing; it may already
    /// hold entries). Idempotent: a key present twice is stored once, so merging the same input again adds nothing.
    /// Inputs of schema version 1 are read through conversions and left as they are; an output of version 1 is
    /// upgraded when it is opened.
    /// </summary>
    /// <exception cref="NuggetsException">An input is missing, not a cache, or in use (<see cref="ExitCodes.CacheLocked"/>);
    /// the output is in use; an input is the output.</exception>
    public static MergeResult Merge(IReadOnlyList<string> inputs, string output, ScoreCacheOptions? options = null)
    {
        var target = System.IO.Path.GetFullPath(output);
        var sources = inputs.Select(System.IO.Path.GetFullPath).ToList();
        foreach (var source in sources)
        {
            if (source == target)
                throw new NuggetsException($"Cannot merge {source} into itself; name another output.", ExitCodes.CacheError);
            if (!File.Exists(source))
                throw new NuggetsException($"Score cache {source} does not exist.", ExitCodes.CacheError);
        }

        using var cache = CacheConnection.Open(target, options);
        long zeroShot = 0, pairs = 0, conflicts = 0;
        foreach (var source in sources)
        {
            var (z, p, c) = MergeOne(cache, source);
            zeroShot += z;
            pairs += p;
            conflicts += c;
        }
        return new MergeResult(zeroShot, pairs, conflicts);
    }

    private static (long ZeroShot, long Pairs, long Conflicts) MergeOne(CacheConnection cache, string source)
    {
        CacheConnection.RefuseIfOpenInThisProcess(source);
        var session = cache.Session;
        try
        {
            // The one path still pasted as a literal: ATTACH takes no prepared parameter ("syntax error at or near ?").
            session.Execute($"ATTACH {SqlText.Literal(source)} AS {MergeSource} (READ_ONLY)");
        }
        catch (DuckDbException e) when (CacheLock.IsLockError(e))
        {
            throw CacheLock.InUse(source, CacheLock.HolderPid(e.Message), e);
        }
        catch (DuckDbException e)
        {
            throw new NuggetsException($"Cannot open score cache {source}: {e.Message}", ExitCodes.CacheError, e);
        }
        try
        {
            // A version-1 input is read through conversions (an input is never written to, so it is not upgraded).
            var version = CacheSchema.CheckVersion(session, source, MergeSource, acceptVersion1: true);
            var zeroSource = version == 1
                ? $"(SELECT fingerprint, {CacheMigration.KeyFromHex("anchor_key")} AS anchor_key, sum, count FROM {MergeSource}.zero_shot)"
                : $"{MergeSource}.zero_shot";
            var pairSource = version == 1
                ? $"(SELECT fingerprint, {CacheMigration.KeyFromHex("candidate_key")} AS candidate_key, {CacheMigration.KeyFromHex("anchor_key")} AS anchor_key, " +
                  $"sum, count FROM {MergeSource}.pairs)"
                : $"{MergeSource}.pairs";
            (long, long, long) counts = default;
            cache.Guard(() => cache.InTransaction(() =>
            {
                var conflicts =
                    session.ScalarInt64($"SELECT count(*) FROM {zeroSource} AS s JOIN zero_shot AS t USING (fingerprint, anchor_key) " +
                                        "WHERE s.sum <> t.sum OR s.count <> t.count") +
                    session.ScalarInt64($"SELECT count(*) FROM {pairSource} AS s JOIN pairs AS t USING (fingerprint, candidate_key, anchor_key) " +
                                        "WHERE s.sum <> t.sum OR s.count <> t.count");
                var zeroShot = session.Execute($"INSERT INTO zero_shot SELECT fingerprint, anchor_key, sum, count FROM {zeroSource} ON CONFLICT DO NOTHING");
                // pairs has no primary key (CacheSchema): skip keys the output has, and any key twice in the input.
                var pairs = session.Execute(
                    $"INSERT INTO pairs SELECT DISTINCT ON (fingerprint, candidate_key, anchor_key) fingerprint, candidate_key, anchor_key, sum, count " +
                    $"FROM {pairSource} AS s WHERE NOT EXISTS (SELECT 1 FROM pairs AS t WHERE t.fingerprint = s.fingerprint " +
                    "AND t.candidate_key = s.candidate_key AND t.anchor_key = s.anchor_key)");
                counts = (zeroShot, pairs, conflicts);
            }));
            return counts;
        }
        finally
        {
            session.Execute($"DETACH {MergeSource}");
        }
    }
}
