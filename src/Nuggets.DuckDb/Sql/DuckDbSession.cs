using System.Runtime.InteropServices;
using Nuggets.DuckDb.Native;

namespace Nuggets.DuckDb.Sql;

/// <summary>One DuckDB database (a file or in memory) with one connection: the unit every feature here works on.</summary>
internal sealed unsafe class DuckDbSession : IDisposable
{
    private readonly DuckDbDatabaseHandle database;
    private readonly DuckDbConnectionHandle connection;
    private readonly bool ownsDatabase;

    private DuckDbSession(DuckDbDatabaseHandle database, DuckDbConnectionHandle connection, bool ownsDatabase = true)
    {
        this.database = database;
        this.connection = connection;
        this.ownsDatabase = ownsDatabase;
    }

    /// <summary>Opens <paramref name="path"/> (null: in memory) with start-up settings.</summary>
    /// <exception cref="DuckDbException">DuckDB refused (lock held by another process, not a database file, …).</exception>
    public static DuckDbSession Open(string? path, IReadOnlyDictionary<string, string>? settings = null)
    {
        DuckDbRuntime.Initialize();
        if (DuckDbNative.CreateConfig(out var config) != DuckDbState.Success)
            throw new DuckDbException("duckdb_create_config failed");
        using (config)
        {
            foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            {
                if (DuckDbNative.SetConfig(config, name, value) != DuckDbState.Success)
                    throw new DuckDbException($"DuckDB rejected setting {name}={value}");
            }
            if (DuckDbNative.OpenExt(path, out var database, config, out var error) != DuckDbState.Success)
            {
                database.Dispose();
                var message = TakeString(error) ?? "duckdb_open_ext failed";
                throw new DuckDbException(message, message.Contains("lock", StringComparison.OrdinalIgnoreCase) ? DuckDbErrorType.Io : DuckDbErrorType.Invalid);
            }
            if (DuckDbNative.Connect(database, out var connection) != DuckDbState.Success)
            {
                connection.Dispose();
                database.Dispose();
                throw new DuckDbException("duckdb_connect failed");
            }
            return new DuckDbSession(database, connection);
        }
    }

    /// <summary>
    /// A second connection to the same database: it sees the database's tables (not this connection's TEMP ones) and
    /// can stream a result while this one runs other statements. Disposing it leaves the database open.
    /// </summary>
    /// <exception cref="DuckDbException">DuckDB refused the connection.</exception>
    public DuckDbSession Connect()
    {
        if (DuckDbNative.Connect(database, out var other) != DuckDbState.Success)
        {
            other.Dispose();
            throw new DuckDbException("duckdb_connect failed");
        }
        return new DuckDbSession(database, other, ownsDatabase: false);
    }

    /// <summary>Runs a statement and returns the rows it changed (for COPY: rows written).</summary>
    public long Execute(string sql)
    {
        using var result = Query(sql);
        return result.RowsChanged;
    }

    /// <summary>Runs a query and materialises its result (for small results: metadata, lookups).</summary>
    public QueryResult Query(string sql)
    {
        var result = new QueryResult();
        if (DuckDbNative.Query(connection, sql, result.Pointer) != DuckDbState.Success) throw Failed(result, "query failed");
        return result;
    }

    /// <summary>
    /// Runs a statement with bound parameters (<c>?</c> in <paramref name="sql"/>, in order; each a <see cref="string"/>
    /// or a <see cref="long"/>) and returns the rows it changed. Values never become SQL text, so no quoting can go wrong.
    /// </summary>
    public long Execute(string sql, params object[] parameters)
    {
        using var result = Query(sql, parameters);
        return result.RowsChanged;
    }

    /// <summary>Runs a query with bound parameters (see <see cref="Execute(string, object[])"/>) and materialises its result.</summary>
    /// <exception cref="DuckDbException">DuckDB refused the statement, a parameter, or the execution.</exception>
    public QueryResult Query(string sql, params object[] parameters)
    {
        if (parameters.Length == 0) return Query(sql);
        using var statement = Prepare(sql);
        Bind(statement, parameters);
        var result = new QueryResult();
        if (DuckDbNative.ExecutePrepared(statement, result.Pointer) != DuckDbState.Success) throw Failed(result, "execution failed");
        return result;
    }

    /// <summary>Reads a single scalar from the first row of a query with bound parameters.</summary>
    public long ScalarInt64(string sql, params object[] parameters)
    {
        using var result = Query(sql, parameters);
        using var chunk = result.Next() ?? throw new DuckDbException($"no rows from: {sql}");
        return chunk.Vector(0).GetInt64(0);
    }

    /// <summary>The error of a failed result, with the type DuckDB gives it; the result is released.</summary>
    private static DuckDbException Failed(QueryResult result, string fallback)
    {
        var error = new DuckDbException(
            Marshal.PtrToStringUTF8((IntPtr)DuckDbNative.ResultError(result.Pointer)) ?? fallback,
            DuckDbNative.ResultErrorType(result.Pointer));
        result.Dispose();
        return error;
    }

    private DuckDbPreparedStatementHandle Prepare(string sql)
    {
        if (DuckDbNative.Prepare(connection, sql, out var statement) == DuckDbState.Success) return statement;
        var message = Marshal.PtrToStringUTF8((IntPtr)DuckDbNative.PrepareError(statement)) ?? "prepare failed";
        statement.Dispose();
        throw new DuckDbException(message, Classify(message));
    }

    private static void Bind(DuckDbPreparedStatementHandle statement, object[] parameters)
    {
        var expected = DuckDbNative.ParameterCount(statement);
        if (expected != (ulong)parameters.Length)
            throw new ArgumentException($"the statement takes {expected} parameters, but {parameters.Length} were given", nameof(parameters));
        for (var i = 0; i < parameters.Length; i++)
        {
            var index = (ulong)i + 1;
            var state = parameters[i] switch
            {
                string text => DuckDbNative.BindVarchar(statement, index, text),
                long number => DuckDbNative.BindInt64(statement, index, number),
                var other => throw new ArgumentException($"parameter {index} is a {other?.GetType().Name ?? "null"}; only string and long are bound", nameof(parameters)),
            };
            if (state != DuckDbState.Success) throw new DuckDbException($"DuckDB refused parameter {index} ({parameters[i].GetType().Name}) of a prepared statement");
        }
    }

    /// <summary>Runs a query as a streaming result: chunks are produced as they are fetched, never all at once.</summary>
    public QueryResult Stream(string sql)
    {
        using (var statement = Prepare(sql))
        {
            if (DuckDbNative.PendingPreparedStreaming(statement, out var pending) != DuckDbState.Success)
            {
                var message = Marshal.PtrToStringUTF8((IntPtr)DuckDbNative.PendingError(pending)) ?? "execution failed";
                pending.Dispose();
                throw new DuckDbException(message, Classify(message));
            }
            using (pending)
            {
                var result = new QueryResult();
                if (DuckDbNative.ExecutePending(pending, result.Pointer) != DuckDbState.Success) throw Failed(result, "execution failed");
                return result;
            }
        }
    }

    /// <summary>An appender for bulk rows into <paramref name="table"/>.</summary>
    public Appender CreateAppender(string table)
    {
        if (DuckDbNative.AppenderCreate(connection, null, table, out var appender) != DuckDbState.Success)
        {
            var message = Marshal.PtrToStringUTF8((IntPtr)DuckDbNative.AppenderError(appender)) ?? $"cannot append to {table}";
            appender.Dispose();
            throw new DuckDbException(message);
        }
        return new Appender(appender);
    }

    /// <summary>Reads a single scalar from the first row of a query.</summary>
    public long ScalarInt64(string sql)
    {
        using var result = Query(sql);
        using var chunk = result.Next() ?? throw new DuckDbException($"no rows from: {sql}");
        return chunk.Vector(0).GetInt64(0);
    }

    public void Dispose()
    {
        connection.Dispose();
        if (ownsDatabase) database.Dispose();
    }

    /// <summary>
    /// Prepare/pending errors carry only text: the pinned DuckDB's C API gives an error type for results
    /// (<c>duckdb_result_error_type</c>) but none for <c>duckdb_prepare_error</c> or <c>duckdb_pending_error</c>, so their
    /// prefix ("IO Error:", "Binder Error:") names the class.
    /// </summary>
    internal static DuckDbErrorType Classify(string message) =>
        message.StartsWith("IO Error", StringComparison.Ordinal) ? DuckDbErrorType.Io
        : message.StartsWith("Binder Error", StringComparison.Ordinal) ? DuckDbErrorType.Binder
        : message.StartsWith("Invalid Input Error", StringComparison.Ordinal) ? DuckDbErrorType.InvalidInput
        : message.StartsWith("Conversion Error", StringComparison.Ordinal) ? DuckDbErrorType.Conversion
        : message.StartsWith("Catalog Error", StringComparison.Ordinal) ? DuckDbErrorType.Catalog
        : DuckDbErrorType.Invalid;

    private static string? TakeString(IntPtr pointer)
    {
        if (pointer == IntPtr.Zero) return null;
        var text = Marshal.PtrToStringUTF8(pointer);
        DuckDbNative.Free((void*)pointer);
        return text;
    }
}
