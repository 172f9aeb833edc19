using System.Runtime.CompilerServices;
using Nuggets.DuckDb.Datasets;
using Nuggets.DuckDb.Native;
using Nuggets.DuckDb.Sql;

namespace Nuggets.DuckDb.Tests;

/// <summary>
/// The structs and enum values the bindings share with libduckdb, checked against duckdb.h of DuckDB v1.5.5
/// (src/include/duckdb.h: duckdb_string_t, duckdb_list_entry, duckdb_result, DUCKDB_TYPE) and, because a size can
/// match while a layout does not, functionally through SQL.
/// </summary>
public unsafe class AbiTests
{
    [Test]
    public void RuntimeIsThePinnedVersion() => Assert.That(DuckDbRuntime.Initialize(), Is.EqualTo(DuckDbRuntime.ExpectedVersion));

    [Test]
    public void StructSizesMatchTheHeader()
    {
        Assert.That(sizeof(DuckDbStringT), Is.EqualTo(16), "duckdb_string_t: uint32 length + char[12] | (char[4] prefix, char* ptr)");
        Assert.That(sizeof(DuckDbListEntry), Is.EqualTo(16), "duckdb_list_entry: uint64 offset, uint64 length");
        Assert.That(sizeof(DuckDbResult), Is.EqualTo(48), "duckdb_result: 3 × idx_t, 2 pointers, void* internal_data");
        var s = default(DuckDbStringT);
        Assert.That((byte*)&s.Inlined[0] - (byte*)&s, Is.EqualTo(4));
        Assert.That((byte*)&s.Pointer - (byte*)&s, Is.EqualTo(8));
        var r = default(DuckDbResult);
        Assert.That((byte*)Unsafe.AsPointer(ref r.InternalData) - (byte*)Unsafe.AsPointer(ref r), Is.EqualTo(40));
    }

    [Test]
    public void VectorSizeIsTheReleaseDefault()
    {
        DuckDbRuntime.Initialize();
        Assert.That(DuckDbNative.VectorSize(), Is.EqualTo(2048UL));
    }

    [TestCase("")]
    [TestCase("a")]
    [TestCase("twelve bytes")]          // 12: the longest inlined string
    [TestCase("thirteen byte")]         // 13: the shortest pointer string
    [TestCase("ten bytes€")]            // 12 bytes with a 3-byte character at the end of the inline buffer
    [TestCase("eleven byte€")]          // 14 bytes: a character across the prefix boundary
    [TestCase("a long string well past the inline limit, with ünïcödé")]
    public void StringsRoundTripThroughSqlAndTheVectorReader(string text)
    {
        using var session = DuckDbSession.Open(null);
        using var result = session.Query($"SELECT {SqlText.Literal(text)} AS s, octet_length(encode(s)) AS n");
        using var chunk = result.Next()!;
        Assert.That(chunk.Vector(0).GetString(0), Is.EqualTo(text));
        Assert.That(chunk.Vector(1).GetInt64(0), Is.EqualTo(System.Text.Encoding.UTF8.GetByteCount(text)));
    }

    [Test]
    public void ValidityMaskBitsAddressRowsPast64()
    {
        using var session = DuckDbSession.Open(null);
        using var result = session.Query("SELECT CASE WHEN i IN (0, 63, 64, 70, 2047) THEN NULL ELSE i::VARCHAR END FROM range(2048) t(i)");
        using var chunk = result.Next()!;
        Assert.That(chunk.Size, Is.EqualTo(2048));
        var nulls = Enumerable.Range(0, chunk.Size).Where(row => !chunk.Vector(0).IsValid(row));
        Assert.That(nulls, Is.EqualTo(new[] { 0, 63, 64, 70, 2047 }));
        Assert.That(chunk.Vector(0).GetString(71), Is.EqualTo("71"));
    }

    [Test]
    public void ListEntriesAndStructChildrenAddressTheRightElements()
    {
        using var session = DuckDbSession.Open(null);
        using var result = session.Query(
            "SELECT * FROM (VALUES ([{'content': 'c0', 'role': 'r0'}]), ([]), ([{'content': 'c1', 'role': 'r1'}, {'content': 'c2', 'role': 'r2'}])) t(m)");
        using var type = result.ColumnType(0);
        Assert.That(DuckDbNative.GetTypeId(type), Is.EqualTo(DuckDbType.List));
        var layout = MessagesLayout.Of(type)!;
        Assert.That(layout, Is.EqualTo(new MessagesLayout(RoleField: 1, ContentField: 0)), "fields found by name, not position");

        using var chunk = result.Next()!;
        var list = chunk.Vector(0);
        Assert.That(Enumerable.Range(0, 3).Select(r => (list.GetListEntry(r).Offset, list.GetListEntry(r).Length)),
            Is.EqualTo(new[] { (0UL, 1UL), (1UL, 0UL), (1UL, 2UL) }));
        var roles = list.ListChild.StructChild(layout.RoleField);
        var contents = list.ListChild.StructChild(layout.ContentField);
        Assert.That(Enumerable.Range(0, 3).Select(i => roles.GetString(i) + contents.GetString(i)), Is.EqualTo(new[] { "r0c0", "r1c1", "r2c2" }));
    }

    [Test]
    public void TypeIdsMatchTheHeaderEnum()
    {
        using var session = DuckDbSession.Open(null);
        using var result = session.Query("SELECT true, 1::BIGINT, 1.5::DOUBLE, 'x', '\\x00'::BLOB, [1], {'a': 1}, MAP {'k': 1}, [1, 2]::INTEGER[2]");
        var expected = new[]
        {
            DuckDbType.Boolean, DuckDbType.BigInt, DuckDbType.Double, DuckDbType.Varchar, DuckDbType.Blob,
            DuckDbType.List, DuckDbType.Struct, DuckDbType.Map, DuckDbType.Array,
        };
        for (var i = 0; i < expected.Length; i++)
        {
            using var type = result.ColumnType(i);
            Assert.That(DuckDbNative.GetTypeId(type), Is.EqualTo(expected[i]), $"column {i}");
        }
    }

    [Test]
    public void ErrorsCarryDuckDbsErrorClass()
    {
        using var session = DuckDbSession.Open(null);
        var error = Assert.Throws<DuckDbException>(() => session.Query("SELECT no_such_column"))!;
        Assert.That(error.ErrorType, Is.EqualTo(DuckDbErrorType.Binder));
        Assert.That(Assert.Throws<DuckDbException>(() => session.Query("SELEC 1"))!.ErrorType, Is.EqualTo(DuckDbErrorType.Parser));
    }
}
