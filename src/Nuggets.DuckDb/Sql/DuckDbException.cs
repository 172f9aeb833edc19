using Nuggets.DuckDb.Native;

namespace Nuggets.DuckDb.Sql;

/// <summary>A DuckDB call failed; carries DuckDB's own message and error class for callers to translate.</summary>
internal sealed class DuckDbException(string message, DuckDbErrorType errorType = DuckDbErrorType.Invalid)
    : Exception(message)
{
    /// <summary>DuckDB's error class (IO, Binder, Invalid Input, …).</summary>
    public DuckDbErrorType ErrorType { get; } = errorType;
}
