using System.Security.Cryptography;
using System.Text;

namespace Nuggets.DuckDb.Tests;

/// <summary>Cache keys for tests: the cache takes only lower-case hex SHA-256 digests, so names are hashed into one.</summary>
internal static class TestKeys
{
    public static string Of(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    public static string Candidate(int n) => Of($"c{n}");

    public static string Anchor(int n) => Of($"a{n}");
}
