using System.Runtime.InteropServices;
using Nuggets.DuckDb.Native;

namespace Nuggets.DuckDb.Datasets;

/// <summary>Where <c>role</c> and <c>content</c> sit in a <c>list&lt;struct&lt;role, content, …&gt;&gt;</c> column.</summary>
internal sealed record MessagesLayout(int RoleField, int ContentField)
{
    /// <summary>The layout of a chat column's logical type, or null when it is not a list of {role, content} text.</summary>
    public static unsafe MessagesLayout? Of(DuckDbLogicalTypeHandle type)
    {
        if (DuckDbNative.GetTypeId(type) != DuckDbType.List) return null;
        using var element = DuckDbNative.ListTypeChildType(type);
        if (DuckDbNative.GetTypeId(element) != DuckDbType.Struct) return null;
        int role = -1, content = -1;
        var count = (int)DuckDbNative.StructTypeChildCount(element);
        for (var i = 0; i < count; i++)
        {
            var namePointer = DuckDbNative.StructTypeChildName(element, (ulong)i);
            var name = Marshal.PtrToStringUTF8((IntPtr)namePointer);
            DuckDbNative.Free(namePointer);
            using var fieldType = DuckDbNative.StructTypeChildType(element, (ulong)i);
            var isText = DuckDbNative.GetTypeId(fieldType) == DuckDbType.Varchar;
            if (name == "role" && isText) role = i;
            if (name == "content" && isText) content = i;
        }
        return role >= 0 && content >= 0 ? new MessagesLayout(role, content) : null;
    }
}
